import { dataCheckRunOf } from '../quality/stored-data-check.js';
import { renderDataCheck } from '../report/console-data-check.js';
import { defineRunKind } from './run-kind.js';

/** A data file's quality check (`yardstick data check`). */
export const dataCheckKind = defineRunKind({
  kind: 'data-check',
  description: "a data file's column profiles and findings, within and between splits",
  read: dataCheckRunOf,
  // Summaries stored before thresholds existed have none.
  thresholds: (summary) => summary.thresholds ?? [],
  console: (run) => renderDataCheck(run.summary),
});

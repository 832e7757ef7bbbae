import { driftHeadline } from '../report/headlines.js';
import { driftRunOf } from '../drift/stored-drift.js';
import { renderDrift } from '../report/console-drift.js';
import { defineRunKind } from './run-kind.js';

/** Drift between two data files (`yardstick drift`). */
export const driftKind = defineRunKind({
  kind: 'drift',
  description: 'drift between a reference and a current data file, per column and overall',
  read: driftRunOf,
  // Summaries stored before thresholds existed have none.
  thresholds: (summary) => summary.thresholds ?? [],
  console: (run) => renderDrift(run.summary),
  headline: driftHeadline,
});

import { renderBaseline } from '../report/console-baseline.js';
import { baselineRunOf } from '../runs/stored-runs.js';
import { defineRunKind } from './run-kind.js';

/** Simple reference models trained and scored on the user's data (`yardstick baseline`). */
export const baselineKind = defineRunKind({
  kind: 'baseline',
  description: "simple models trained on the user's data, scored and weighed against compared runs",
  read: baselineRunOf,
  console: (run) => renderBaseline(run.summary),
});

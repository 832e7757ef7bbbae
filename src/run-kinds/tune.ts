import { tuneHeadline } from '../report/headlines.js';
import { renderTune } from '../report/console-tune.js';
import { tuneRunOf } from '../runs/stored-runs.js';
import { defineRunKind } from './run-kind.js';

/** A tuning study (`yardstick tune`): every trial's eval, the Pareto front and the recommended configuration. */
export const tuneKind = defineRunKind({
  kind: 'tune',
  description: 'configurations of a suite searched (grid, random, successive halving), the Pareto front and a pick',
  read: tuneRunOf,
  console: (run) => renderTune(run.summary),
  headline: tuneHeadline,
  report: async (run) => {
    const { tuneSection } = await import('../report/html/tune-section.js');
    return { section: tuneSection(run.summary) };
  },
});

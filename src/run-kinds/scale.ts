import { scaleHeadline } from '../report/headlines.js';
import { renderScale } from '../report/console-scale.js';
import { scaleRunOf } from '../runs/stored-runs.js';
import { defineRunKind } from './run-kind.js';

/** A scaling study (`yardstick scale`): speedup and efficiency by worker count, the fitted law, the knee. */
export const scaleKind = defineRunKind({
  kind: 'scale',
  description: 'speedup and efficiency by worker count, an Amdahl or Gustafson fit, the knee and predictions',
  read: scaleRunOf,
  console: (run) => renderScale(run.summary),
  headline: scaleHeadline,
  report: async (run) => {
    const { scaleSection } = await import('../report/html/scale-section.js');
    return { section: scaleSection(run.summary) };
  },
});

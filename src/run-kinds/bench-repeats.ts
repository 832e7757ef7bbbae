import { benchRepeatsRunOf } from '../efficiency/bench-repeats.js';
import { renderBenchRepeats } from '../report/console-bench-repeats.js';
import type { StoredRun } from '../store/run-record.js';
import { defineRunKind } from './run-kind.js';

/** The same bench run several times (`yardstick bench --repeats N`): each statistic across the runs. */
export const benchRepeatsKind = defineRunKind({
  kind: 'bench-repeats',
  description: 'the same load test repeated: each headline statistic per run, with its mean, spread and interval',
  read: benchRepeatsRunOf,
  console: (run) => renderBenchRepeats(run.summary),
  report: async (run, { store, reportChild }) => {
    const { benchRepeatsSections } = await import('../report/html/bench-repeats-section.js');
    const children = (await Promise.all(run.summary.runs.map((r) => store.getRun(r.runId)))).filter(
      (r): r is StoredRun => r !== null,
    );
    return {
      isGroup: true,
      section: null,
      title: `${run.summary.repeats} repeats against ${run.summary.target.name}`,
      groupSections: benchRepeatsSections(run.summary),
      children: await Promise.all(children.map(reportChild)),
    };
  },
});

import { benchHeadline } from '../report/headlines.js';
import { benchRunOf } from '../efficiency/stored-bench.js';
import { benchCsv } from '../report/bench-csv.js';
import { renderBench } from '../report/console-bench.js';
import { defineRunKind } from './run-kind.js';

/** Load tests (`yardstick bench`): latency, throughput and resources per step. */
export const benchKind = defineRunKind({
  kind: 'bench',
  description: 'a load test: latency, throughput, errors and resources per step',
  read: benchRunOf,
  console: (run) => renderBench(run.summary),
  headline: benchHeadline,
  csv: benchCsv,
  thresholds: (summary) => summary.thresholds,
  report: async (run) => {
    // The charting libraries load only when a report is written.
    const { benchSection } = await import('../report/html/bench-section.js');
    return { section: benchSection(run.summary, run.resources) };
  },
});

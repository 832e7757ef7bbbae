import { evalHeadline } from '../report/headlines.js';
import { evalRunOf, readCaseResults } from '../eval/stored-eval.js';
import { casesCsv } from '../report/cases-csv.js';
import { renderEval } from '../report/console-eval.js';
import { defineRunKind } from './run-kind.js';

/** Eval and benchmark runs (`yardstick eval`): scores per case, accuracy with intervals, latency, cost. */
export const evalKind = defineRunKind({
  kind: 'eval',
  description: 'an eval or benchmark run: scored cases, accuracy with intervals, latency and cost',
  read: evalRunOf,
  console: (run) => renderEval(run.summary),
  headline: evalHeadline,
  cases: async (run, store, format) => {
    const results = await readCaseResults(store, run.id);
    return format === 'json' ? `${JSON.stringify(results, null, 2)}\n` : casesCsv(results);
  },
  thresholds: (summary) => summary.thresholds,
  report: async (run, { store }) => {
    const { evalSection } = await import('../report/html/eval-section.js');
    return { section: evalSection(run.summary, await readCaseResults(store, run.id)) };
  },
});

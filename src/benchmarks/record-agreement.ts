import type { CaseResult } from '../eval/case-result.js';
import type { EvalJson } from '../eval/eval-summary.js';
import { evalRunOf } from '../eval/stored-eval.js';
import type { Store } from '../store/store.js';
import type { ScoringMode } from './benchmark-cases.js';
import { modeAgreement } from './mode-agreement.js';

/**
 * After a target was run in several modes: adds to the later run's summary how often its answers agree with the
 * first mode's, per task, and stores the updated summary.
 */
export async function recordAgreement(
  store: Store,
  summary: EvalJson,
  results: readonly CaseResult[],
  first: { runId: string; mode: ScoringMode; results: readonly CaseResult[] },
): Promise<EvalJson> {
  if (summary.benchmark === undefined) return summary;
  const agreement = modeAgreement(results, first.results, first.mode, first.runId);
  const updated: EvalJson = { ...summary, benchmark: { ...summary.benchmark, agreement } };
  const stored = await store.getRun(summary.runId);
  const record = stored === null ? null : evalRunOf(stored);
  if (record !== null) await store.saveRun({ ...record, summary: updated });
  return updated;
}

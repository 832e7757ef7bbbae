import { runEval, type EvalOptions } from '../api/run-eval.js';
import type { ThresholdResult } from '../core/types.js';
import { compareRuns, type CompareJson } from '../eval/compare.js';
import { matchingEvalRuns } from '../eval/eval-trend.js';
import { evalRunOf, isEvalRunSettings, storedRunCases } from '../eval/stored-eval.js';
import type { Store } from '../store/store.js';

/** One canary run: the eval it made, how it stood against its thresholds, and what changed since the last one. */
export interface CanaryResult {
  runId: string;
  /** When the run ended (ISO 8601). */
  at: string;
  suite: string;
  target: string;
  passed: boolean;
  /** Each suite metric's value (accuracy, pass_rate…), with its interval when it has one. */
  metrics: Record<string, { value: number; ci: [number, number] | null }>;
  thresholds: ThresholdResult[];
  errored: number;
  /** The comparison with the previous canary run of the same suite and target on their shared cases; null for the first. */
  change: CompareJson | null;
}

/** What a canary run needs: the eval's options (suite, target, sampling, thresholds) and the store that keeps runs. */
export interface CanaryOptions extends EvalOptions {
  store: Store;
}

/**
 * Runs the suite once against its target, as `yardstick eval` would, and compares the run with the previous canary
 * run of the same suite and target (paired tests on their shared cases: McNemar for pass/fail metrics, a paired
 * bootstrap for graded ones, Holm-adjusted), so that a significant change is told apart from noise.
 */
export async function runCanaryRound(options: CanaryOptions): Promise<CanaryResult> {
  const outcome = await runEval(options);
  const { summary } = outcome;
  const stored = await options.store.getRun(outcome.runId);
  const settings = stored === null ? null : evalRunOf(stored)?.config;
  const suitePath = isEvalRunSettings(settings) ? settings.suitePath : null;
  // The latest earlier completed run of the same suite file against the same target.
  const previous =
    (
      await matchingEvalRuns(
        options.store,
        { suite: summary.suite, target: summary.target.name, suitePath },
        1,
        outcome.runId,
      )
    )[0] ?? null;
  let change: CompareJson | null = null;
  if (previous !== null && stored !== null) {
    try {
      change = compareRuns(
        await storedRunCases(options.store, previous, 'canary'),
        await storedRunCases(options.store, stored, 'canary'),
        { intersect: true, alpha: 0.05, resamples: 1000, seed: options.seed ?? 1 },
      );
    } catch {
      // Runs without a shared case (a different sample) are not compared.
      change = null;
    }
  }
  return {
    runId: outcome.runId,
    at: new Date().toISOString(),
    suite: summary.suite,
    target: summary.target.name,
    passed: outcome.passed && summary.status === 'completed',
    metrics: Object.fromEntries(
      Object.entries(summary.metrics).map(([name, m]) => [name, { value: m.value, ci: m.ci }]),
    ),
    thresholds: summary.thresholds,
    errored: summary.cases.errored,
    change,
  };
}

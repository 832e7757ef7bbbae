import { usageError } from '../core/errors.js';
import type { CaseResult } from '../eval/case-result.js';
import type { EvalJson } from '../eval/eval-summary.js';
import { loadSuite } from '../eval/load-suite.js';
import { runEval as runSuite, type EvalObserver, type EvalProgress } from '../eval/runner.js';
import { pickTargets, suitePlan, type EvalChoicesInput } from '../runs/eval-plans.js';
import { registerBuiltinTarget } from '../serve/builtin-target.js';
import { SqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/store.js';
import { isTarget, type Target } from '../targets/target.js';

/** The eval to run: what to evaluate, and which cases how (`EvalChoicesInput`; the suite's `run` settings fill the rest). */
export interface EvalOptions extends EvalChoicesInput {
  /** The suite: a YAML file's path, or the suite itself as an object (what the YAML holds). */
  suite: string | Record<string, unknown>;
  /** For a suite given as an object: where its relative paths (dataset, custom scorers) start; default the cwd. */
  baseDir?: string;
  /**
   * What answers: one of the suite's targets by name, model or 1-based position (default its first), or a
   * `Target` of your own — then the suite need not name any.
   */
  target?: string | number | Target;
  /** Where the run and its cases are kept; default an in-memory store that is closed when the run ends. */
  store?: Store;
  /** Acceptance rules added to the suite's, e.g. `accuracy >= 0.9`, `p95(latency) < 800ms`. */
  thresholds?: string[];
  signal?: AbortSignal;
  /** Called with the run's counts as cases finish. */
  onProgress?: (progress: EvalProgress) => void;
  /** Follow the run's lifecycle: its start, snapshots, summary and end (e.g. a live export). */
  observers?: readonly EvalObserver[];
}

export interface EvalOutcome {
  runId: string;
  summary: EvalJson;
  /** Every case's result, each repeat separately. */
  results: CaseResult[];
  /** True when every threshold passed (and true when there were none). */
  passed: boolean;
}

function positive(name: string, value: number | undefined): number | undefined {
  if (value === undefined || (Number.isInteger(value) && value > 0)) return value;
  throw usageError('OPTION_INVALID', `${name} must be a positive integer (got ${value})`, `e.g. ${name}: 4`);
}

/**
 * Evaluates one target on a suite: the same run `yardstick eval` makes, stored the same way, returning its summary
 * and every case's result. Bad options or suites throw a `YardstickError` (exit code 2) listing every problem; an
 * unreachable target one with exit code 4.
 */
export async function runEval(options: EvalOptions): Promise<EvalOutcome> {
  registerBuiltinTarget();
  const own = isTarget(options.target) ? options.target : undefined;
  const suite = await loadSuite({
    path: typeof options.suite === 'string' ? options.suite : null,
    overrides: typeof options.suite === 'string' ? {} : structuredClone(options.suite),
    ...(typeof options.suite === 'string' ? {} : { baseDir: options.baseDir ?? process.cwd() }),
    extraThresholds: options.thresholds ?? [],
    ownTarget: own !== undefined,
  });
  const wanted = isTarget(options.target) ? undefined : options.target;
  const targetIndex = wanted === undefined ? 0 : (pickTargets(suite.config.targets, wanted)[0] ?? 0);
  const plan = suitePlan(suite, targetIndex, {
    limit: positive('limit', options.limit),
    sample: positive('sample', options.sample),
    seed: options.seed,
    stratify: options.stratify,
    repeats: positive('repeats', options.repeats),
    concurrency: positive('concurrency', options.concurrency),
    ratePerS: options.ratePerS,
    cache: options.cache,
  });
  const store = options.store ?? new SqliteStore(':memory:');
  try {
    const ran = await runSuite({
      suite: plan.suite,
      settings: plan.settings,
      store,
      signal: options.signal ?? new AbortController().signal,
      resume: null,
      observers: [
        ...(options.observers ?? []),
        ...(options.onProgress === undefined ? [] : [{ progress: options.onProgress }]),
      ],
      ...(own === undefined ? {} : { target: own }),
    });
    return {
      runId: ran.summary.runId,
      summary: ran.summary,
      results: ran.results,
      passed: ran.summary.thresholds.every((t) => t.pass),
    };
  } finally {
    if (options.store === undefined) await store.close();
  }
}

import {
  compileBenchmark,
  isBenchmarkConfig,
  loadBenchmark,
  modesFor,
  type LoadedBenchmark,
} from '../benchmarks/load-benchmark.js';
import { usageError } from '../core/errors.js';
import type { LoadedSuite } from '../eval/load-suite.js';
import { loadSuite } from '../eval/load-suite.js';
import { runnableSuite, type EvalRunChoices, type EvalRunSettings, type RunnableSuite } from '../eval/runner.js';
import type { ScoringMode } from '../eval/scoring-mode.js';
import { evalRunOf, isEvalRunSettings, type EvalRunRecord } from '../eval/stored-eval.js';
import type { Store } from '../store/store.js';

/** One eval run to make: a suite (or a benchmark compiled for one target and mode), its settings, what it resumes. */
export interface EvalPlan {
  suite: RunnableSuite;
  settings: EvalRunSettings;
  resume: EvalRunRecord | null;
  /** Benchmark runs: the scoring mode. */
  mode?: ScoringMode;
}

/** What to run, as the CLI's flags or the library's options give it; the suite's `run` settings fill the rest. */
export interface EvalChoicesInput {
  /** Only the first N cases (suites; a benchmark's limit is per task, in its config). */
  limit?: number;
  /** A seeded random sample of N cases, optionally drawn within strata (`tag`, `label` or a column). */
  sample?: number;
  seed?: number;
  stratify?: string;
  repeats?: number;
  concurrency?: number;
  ratePerS?: number;
  /** False sends every request even when a cached answer exists. */
  cache?: boolean;
}

interface RunDefaults {
  seed: number;
  repeats: number;
  concurrency: number;
  ratePerS?: number | undefined;
  cache: boolean;
}

/** The settings of a run: the choices given, else the suite's own. */
function choicesOf(run: RunDefaults, input: EvalChoicesInput, limit: number | null): EvalRunChoices {
  if (input.stratify !== undefined && input.sample === undefined)
    throw usageError('FLAG_INVALID', 'stratifying needs a sample size', 'e.g. --sample 200 --stratify label');
  const ratePerS = input.ratePerS ?? run.ratePerS ?? null;
  if (ratePerS !== null && !(ratePerS > 0))
    throw usageError('FLAG_INVALID', `a rate of ${ratePerS} per second is not positive`, 'e.g. --rate 5');
  return {
    sampling: { limit, sample: input.sample ?? null, seed: input.seed ?? run.seed, stratify: input.stratify ?? null },
    repeats: input.repeats ?? run.repeats,
    concurrency: input.concurrency ?? run.concurrency,
    ratePerS,
    cache: (input.cache ?? true) && run.cache,
  };
}

/** Which of a config's targets to run: by name, model or 1-based position; all of them when none is named. */
export function pickTargets(
  targets: readonly { name?: string; kind: string; model?: string }[],
  wanted: string | number | undefined,
): number[] {
  const all = targets.map((_, i) => i);
  if (wanted === undefined) return all;
  const names = targets.map((t, i) => t.name ?? t.model ?? `target${i + 1}`);
  const index = typeof wanted === 'string' ? names.findIndex((name) => name === wanted) : -1;
  if (index >= 0) return [index];
  const position = Number(wanted);
  if (Number.isInteger(position) && position >= 1 && position <= names.length) return [position - 1];
  throw usageError(
    'TARGET_UNKNOWN',
    `target '${wanted}' is not one of the config's targets`,
    names.length === 0 ? 'the config names no targets' : `targets: ${names.join(', ')}`,
  );
}

/** The run of a suite against one of its targets (index 0 also stands for a target the caller brings). */
export function suitePlan(suite: LoadedSuite, targetIndex: number, input: EvalChoicesInput): EvalPlan {
  return {
    suite: runnableSuite(suite),
    settings: {
      suite: suite.raw,
      suitePath: suite.path,
      baseDir: suite.baseDir,
      targetIndex,
      ...choicesOf(suite.config.run, input, input.limit ?? null),
    },
    resume: null,
  };
}

/** Every (target, mode) run a benchmark asks for, in order: each target's modes one after another. */
export function benchmarkRunPlans(
  loaded: LoadedBenchmark,
  targetIndices: readonly number[],
  input: EvalChoicesInput,
): EvalPlan[] {
  const choices = choicesOf(loaded.config.run, input, null);
  return targetIndices.flatMap((targetIndex) => {
    const target = loaded.config.targets[targetIndex];
    if (target === undefined) return [];
    return modesFor(loaded, target).map((mode) => ({
      suite: compileBenchmark(loaded, targetIndex, mode),
      mode,
      resume: null,
      settings: { ...choices, suite: loaded.raw, suitePath: loaded.path, baseDir: loaded.baseDir, targetIndex, mode },
    }));
  });
}

/** The run that continues a stored eval run: its suite or benchmark built again from the settings it kept. */
export async function resumePlan(store: Store, id: string): Promise<EvalPlan> {
  const stored = await store.getRun(id);
  if (stored === null)
    throw usageError(
      'RUN_NOT_FOUND',
      `no run with id '${id}' in the store`,
      'list eval runs with `yardstick runs list --kind eval` (and check --store)',
    );
  const record = evalRunOf(stored);
  if (record === null)
    throw usageError(
      'RESUME_UNSUPPORTED',
      `run ${stored.id} is a ${stored.kind} run; only eval runs resume`,
      'start a new run instead',
    );
  if (record.status === 'completed')
    throw usageError(
      'RESUME_UNSUPPORTED',
      `run ${record.id} already completed`,
      'nothing to resume; `yardstick runs show` prints it',
    );
  const settings = record.config;
  if (!isEvalRunSettings(settings))
    throw usageError(
      'RESUME_UNSUPPORTED',
      `run ${record.id} does not keep the settings it was started with`,
      'start a new run instead',
    );
  return { ...(await suiteOfSettings(settings)), settings, resume: record };
}

/** The suite (or compiled benchmark) a run's stored settings describe, built again as when the run started. */
export async function suiteOfSettings(
  settings: EvalRunSettings,
): Promise<{ suite: RunnableSuite; mode?: ScoringMode }> {
  if (isBenchmarkConfig(settings.suite)) {
    const loaded = await loadBenchmark({ path: null, overrides: settings.suite, baseDir: settings.baseDir });
    const mode = settings.mode ?? 'loglikelihood';
    return { suite: compileBenchmark(loaded, settings.targetIndex, mode), mode };
  }
  const suite = await loadSuite({ path: null, overrides: settings.suite, baseDir: settings.baseDir });
  return { suite: runnableSuite(suite) };
}

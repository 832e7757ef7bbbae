import type { TargetConfig } from '../targets/target-schema.js';
import { redactSecrets } from '../config/redact.js';
import { YardstickError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { RunLifecycle } from '../store/run-lifecycle.js';
import type { RunObserver } from '../store/run-observer.js';
import type { Store } from '../store/store.js';
import { createTarget } from '../targets/registry.js';
import type { Target } from '../targets/target.js';
import type { CaseResult } from './case-result.js';
import type { EvalCase } from './cases.js';
import { evalSummary, type EvalJson } from './eval-summary.js';
import type { CaseDispatcher, DispatchOutcome } from './case-dispatch.js';
import { caseExecutor, executeWork, labelScorerOf } from './run-cases.js';
import type { LoadedSuite } from './load-suite.js';
import type { RequestBuilder } from './prompt-builder.js';
import type { RetryPolicy } from './retry.js';
import type { ScoringMode } from './scoring-mode.js';
import type { Scorer } from './scorers/scorer.js';
import type { SuiteMetric } from './suite-metrics.js';
import type { EvalThreshold } from './thresholds.js';
import { selectCases, type SamplingOptions } from './sampling.js';
import { withPerturbedCopies } from './robustness/expand-cases.js';
import { isOriginal, robustnessMetrics, robustnessSummary } from './robustness/robustness-summary.js';
import { readCaseResults, type EvalRunRecord } from './stored-eval.js';

/** Something that follows an eval run (the console's progress line, a live export). */
export type EvalObserver = RunObserver<'eval', EvalJson, EvalProgress>;

export interface EvalProgress {
  done: number;
  total: number;
  errored: number;
  passed: number;
  scored: number;
  cached: number;
  elapsedS: number;
}

/** What to run: which cases, how often, how fast. */
export interface EvalRunChoices {
  sampling: SamplingOptions;
  repeats: number;
  concurrency: number;
  ratePerS: number | null;
  cache: boolean;
  /** Benchmark runs: the scoring mode (`loglikelihood`, `choice`, `generate`). */
  mode?: ScoringMode;
}

/** Where the suite came from, so `--resume` can build it again: its merged settings, file, folder and target. */
export interface EvalRunOrigin {
  suite: Record<string, unknown>;
  suitePath: string | null;
  baseDir: string;
  targetIndex: number;
}

/** What a run was started with; stored in the run record so `--resume` repeats it exactly. */
export type EvalRunSettings = EvalRunChoices & EvalRunOrigin;

/** What a run needs of a suite: an acceptance suite from YAML, or a benchmark compiled into cases. */
export interface RunnableSuite {
  name: string;
  targets: readonly TargetConfig[];
  /** Seeds the bootstrap intervals. */
  seed: number;
  cases: EvalCase[];
  builder: RequestBuilder;
  scorers: Scorer[];
  thresholds: EvalThreshold[];
  retry: RetryPolicy;
  /**
   * What this kind of suite adds to the eval summary (a benchmark's per-task results, a robustness section), worked
   * out once from every stored result: its metrics, which thresholds can use like the others, and its section.
   */
  additions?: (results: readonly CaseResult[]) => SuiteAdditions;
  /** Adds cases derived from the selected ones (a robustness section's perturbed copies), after them. */
  expandCases?: (selected: EvalCase[]) => EvalCase[];
  /** The results the headline metrics are over (a robustness suite's originals); all of them without it. */
  headline?: (result: CaseResult) => boolean;
  /** Fails (exit 2) before any request when the target cannot answer this suite's requests. */
  checkTarget?: (target: Target) => void;
  /** Asks the reachable target, before any case is sent, whether it can serve this suite; throws when it cannot. */
  probeTarget?: (target: Target) => Promise<void>;
}

/** A kind of suite's part of the summary: metrics beside the suite's own, and a section added to the summary. */
export interface SuiteAdditions {
  metrics: Record<string, SuiteMetric>;
  extend: (summary: EvalJson) => EvalJson;
}

/** An acceptance suite loaded from YAML, as the runner takes it. */
export function runnableSuite(suite: LoadedSuite): RunnableSuite {
  const base: RunnableSuite = {
    name: suite.config.name,
    targets: suite.config.targets,
    seed: suite.config.run.seed,
    cases: suite.cases,
    builder: suite.builder,
    scorers: suite.scorers,
    thresholds: suite.thresholds,
    retry: suite.retry,
  };
  const robustness = suite.robustness;
  if (robustness === null) return base;
  return {
    ...base,
    expandCases: (selected) => withPerturbedCopies(selected, robustness),
    headline: isOriginal,
    additions: (results) => {
      const section = robustnessSummary(results, robustness);
      return { metrics: robustnessMetrics(section), extend: (summary) => ({ ...summary, robustness: section }) };
    },
  };
}

export interface EvalRunOptions {
  suite: RunnableSuite;
  settings: EvalRunSettings;
  store: Store;
  signal: AbortSignal;
  /** A stored run to continue: cases it already has are neither sent nor scored again. */
  resume: EvalRunRecord | null;
  /** Follow the run: told when it starts (with the requests it will send), of its progress, and when it ends. */
  observers?: readonly EvalObserver[];
  /** How often buffered case results are written to the store. */
  flushIntervalMs?: number;
  /**
   * A target of the caller's own, answering instead of the one the suite's target config describes. It is not
   * closed by the run, and its answers are not cached (yardstick cannot tell when they would change).
   */
  target?: Target;
  /** Hands the cases to workers (a queue) instead of sending them from this process. */
  dispatcher?: CaseDispatcher;
}

export interface EvalRunResult {
  summary: EvalJson;
  record: EvalRunRecord;
  results: CaseResult[];
  /** Work that workers failed for good (a dispatched run only; empty otherwise). */
  failedWork: DispatchOutcome['failed'];
}

export function targetOf(suite: RunnableSuite, index: number): TargetConfig {
  const target = suite.targets[index];
  if (target === undefined)
    throw new YardstickError({
      code: 'TARGET_UNKNOWN',
      message: `the suite has no target number ${index + 1}`,
      exitCode: ExitCode.usage,
    });
  return target;
}

/**
 * Runs an eval suite against one target: every selected case `repeats` times, `concurrency` at a time and at most
 * `ratePerS` started per second. Results are written to the store in small batches as they finish, so a crash
 * loses at most the last batch (those cases are sent again on `--resume`) and no case is ever scored twice.
 * If every request fails the run is saved as failed and the error exits 4: a dead target is not 0% accuracy.
 */
export async function runEval(options: EvalRunOptions): Promise<EvalRunResult> {
  const { suite, settings, store, signal } = options;
  const targetConfig = options.target === undefined ? targetOf(suite, settings.targetIndex) : null;
  const selected = selectCases(suite.cases, settings.sampling);
  const cases = suite.expandCases?.(selected) ?? selected;
  const done = new Set<string>();
  const keyOf = (caseId: string, repeat: number): string => `${repeat}\u0000${caseId}`;
  if (options.resume !== null)
    for (const row of await store.listCases(options.resume.id)) done.add(keyOf(row.caseId, row.repeat));
  const work: { evalCase: EvalCase; repeat: number }[] = [];
  for (let repeat = 0; repeat < settings.repeats; repeat += 1) {
    for (const evalCase of cases) if (!done.has(keyOf(evalCase.id, repeat))) work.push({ evalCase, repeat });
  }

  const target =
    options.target ??
    (await createTarget(targetOf(suite, settings.targetIndex), { maxConnections: settings.concurrency }));
  const prepared: { close?: () => Promise<void> }[] = [];
  try {
    suite.checkTarget?.(target);
    await target.checkReachable();
    await suite.probeTarget?.(target);
    for (const scorer of suite.scorers) {
      await scorer.prepare?.();
      prepared.push(scorer);
    }
    const description = target.describe();
    const observers = options.observers ?? [];
    const info = { requests: work.length };
    const run = await (options.resume === null
      ? RunLifecycle.start<'eval', EvalJson, EvalProgress>(
          store,
          { kind: 'eval', config: redactSecrets(settings), target: description },
          observers,
          info,
        )
      : RunLifecycle.resume(store, options.resume, observers, info));
    const runId = run.id;

    const labelScorer = labelScorerOf(suite.scorers);
    const startedAt = performance.now();
    const progress: EvalProgress = {
      done: 0,
      total: work.length,
      errored: 0,
      passed: 0,
      scored: 0,
      cached: 0,
      elapsedS: 0,
    };
    let dispatched: DispatchOutcome = { failed: [] };
    if (options.dispatcher === undefined)
      await executeWork({
        // Built only for a run that sends its own requests: a dispatched run's workers build theirs.
        executor: await caseExecutor({ suite, target, targetConfig, cache: settings.cache, store }),
        work,
        store,
        runId,
        concurrency: settings.concurrency,
        ratePerS: settings.ratePerS,
        signal,
        ...(options.flushIntervalMs === undefined ? {} : { flushIntervalMs: options.flushIntervalMs }),
        onResult: (result) => {
          progress.done += 1;
          if (result.status === 'error') progress.errored += 1;
          if (result.pass !== null) progress.scored += 1;
          if (result.pass === true) progress.passed += 1;
          if (result.cached) progress.cached += 1;
          progress.elapsedS = (performance.now() - startedAt) / 1000;
          run.progress(progress);
        },
      });
    else
      dispatched = await options.dispatcher.dispatch({
        runId,
        items: work.map((w) => ({ caseId: w.evalCase.id, repeat: w.repeat })),
        signal,
        onDone: (items) => {
          progress.done += items;
          progress.elapsedS = (performance.now() - startedAt) / 1000;
          run.progress(progress);
        },
      });

    const durationS = (performance.now() - startedAt) / 1000;
    const results = await readCaseResults(store, runId);
    // A run left short — stopped, or (dispatched) with work no worker finished — is interrupted: it can be resumed.
    const interrupted =
      (signal.aborted || options.dispatcher !== undefined) && results.length < cases.length * settings.repeats;
    const answered = results.filter((r) => r.status === 'ok').length;
    const allFailed = !interrupted && results.length > 0 && answered === 0;
    const status = interrupted ? 'interrupted' : allFailed ? 'failed' : 'completed';
    const additions = suite.additions?.(results);
    const base = evalSummary({
      runId,
      status,
      suite: suite.name,
      target: description,
      caseCount: cases.length,
      repeats: settings.repeats,
      results,
      scorers: suite.scorers,
      metricOptions: {
        confidence: 0.95,
        resamples: 1000,
        seed: suite.seed,
        labelScorer: labelScorer?.name ?? null,
        scorerNames: suite.scorers.map((s) => s.name),
      },
      thresholds: suite.thresholds,
      session: { durationS, finished: progress.done },
      pricePerHour: targetConfig?.pricing?.perHour ?? null,
      ...(additions === undefined ? {} : { extraMetrics: additions.metrics }),
      ...(suite.headline === undefined ? {} : { headline: suite.headline }),
    });
    const summary = additions === undefined ? base : additions.extend(base);
    const record = await run.finish(status, summary);
    if (allFailed) {
      const breakdown = Object.entries(summary.errors)
        .map(([category, count]) => `${count} ${category}`)
        .join(', ');
      const first = results[0]?.error?.message ?? '';
      throw new YardstickError({
        code: 'ALL_REQUESTS_FAILED',
        message: `every request to ${description.name} failed (${breakdown}); nothing was scored. First error: ${first}`,
        hint: `the run is saved as ${record.id} (failed); check the target, then run again or resume with --resume ${record.id}`,
        exitCode: ExitCode.targetUnreachable,
      });
    }
    return { summary, record, results, failedWork: dispatched.failed };
  } finally {
    for (const scorer of prepared) await scorer.close?.();
    if (options.target === undefined) await target.close();
  }
}

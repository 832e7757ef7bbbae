import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { YardstickError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { CaseResult } from '../eval/case-result.js';
import type { EvalJson } from '../eval/eval-summary.js';
import { loadSuite, type LoadedSuite } from '../eval/load-suite.js';
import { runEval } from '../eval/runner.js';
import { meanTInterval } from '../stats/standard-errors.js';
import { quantileRanks } from '../stats/quantile-interval.js';
import { RunLifecycle } from '../store/run-lifecycle.js';
import type { Store } from '../store/store.js';
import type { Objective } from '../tradeoff/pareto.js';
import { tradeoff } from '../tradeoff/tradeoff.js';
import {
  describeConfiguration,
  gridConfigurations,
  randomConfigurations,
  spaceSize,
  type Configuration,
} from '../tuning/search-space.js';
import { halvingRungs, paretoRanks, rankedOrder, type Rung } from '../tuning/successive-halving.js';
import { suiteVariant } from '../tuning/suite-variant.js';
import type { TuneConfig } from '../tuning/tune-config.js';
import type { Bounded, Trial, TrialEvaluation, TuneJson } from '../tuning/tune-json.js';
import { suitePlan } from './eval-plans.js';

export interface TuneRunOptions {
  store: Store;
  config: TuneConfig;
  /** Where the config's `suite` path starts: the config file's folder. */
  baseDir: string;
  signal: AbortSignal;
  onStarted?: (runId: string, trials: number, rungs: readonly Rung[]) => void;
  /** Told of each trial's evaluation as it ends. */
  onEvaluation?: (trial: Trial, evaluation: TrialEvaluation, rungs: readonly Rung[]) => void;
}

/** Configurations a random or halving search draws when `trials` is not given (all of a smaller grid). */
const DEFAULT_DRAWN = 20;

function configurationsOf(config: TuneConfig): Configuration[] {
  if (config.search === 'grid') return gridConfigurations(config.space);
  return randomConfigurations(config.space, config.trials ?? DEFAULT_DRAWN, config.seed);
}

/** Each configuration's suite, loaded and checked before any request: a bad value fails at once, naming its trial. */
async function trialSuites(config: TuneConfig, base: LoadedSuite, configurations: readonly Configuration[]) {
  return Promise.all(
    configurations.map(async (configuration, i) => {
      const name = `trial ${i + 1}`;
      try {
        const variant = suiteVariant(base.raw, configuration, name, config.target ?? null);
        return await loadSuite({ path: null, overrides: variant, baseDir: base.baseDir });
      } catch (error) {
        if (!(error instanceof YardstickError)) throw error;
        throw new YardstickError({
          code: error.code,
          message: `${name} (${describeConfiguration(configuration)}): ${error.message}`,
          hint: error.hint ?? 'check the values of the space against the suite',
          exitCode: error.exitCode,
          problems: error.problems,
        });
      }
    }),
  );
}

function p95Bounded(summary: EvalJson, results: readonly CaseResult[]): Bounded | null {
  const p95 = summary.latencyMs.e2e?.p95 ?? null;
  if (p95 === null) return null;
  const timed = results
    .flatMap((r) => (r.status === 'ok' && !r.cached && r.e2eMs !== null ? [r.e2eMs] : []))
    .sort((a, b) => a - b);
  const ranks = quantileRanks(timed.length, 0.95, 0.95);
  const low = ranks.lower === null ? null : (timed[ranks.lower - 1] ?? null);
  const high = ranks.upper === null ? null : (timed[ranks.upper - 1] ?? null);
  return { value: p95, interval: low === null || high === null ? null : [low, high] };
}

function costBounded(results: readonly CaseResult[]): Bounded | null {
  const costs = results.flatMap((r) => (r.status === 'ok' && r.cost !== null ? [r.cost * 1000] : []));
  if (costs.length === 0) return null;
  const { mean, interval } = meanTInterval(costs);
  return { value: mean, interval };
}

/** The objectives every evaluation of a rung measured: the metric, p95 latency, and cost when every one is priced. */
function objectivesOf(metric: string, evaluations: readonly TrialEvaluation[]): Objective[] {
  const objectives: Objective[] = [{ name: metric, better: 'higher' }];
  if (evaluations.every((e) => e.p95LatencyMs !== null)) objectives.push({ name: 'p95 latency', better: 'lower' });
  if (evaluations.every((e) => e.costPer1kRequests !== null))
    objectives.push({ name: 'cost per 1,000 requests', better: 'lower' });
  return objectives;
}

function pointOf(e: TrialEvaluation, objectives: readonly Objective[]): number[] {
  return objectives.map((o) =>
    o.better === 'higher'
      ? e.accuracy.value
      : o.name === 'p95 latency'
        ? (e.p95LatencyMs?.value ?? Number.MAX_VALUE)
        : (e.costPer1kRequests?.value ?? Number.MAX_VALUE),
  );
}

/**
 * Runs a tuning study: configurations drawn from the space (grid, seeded random, or successive halving on growing,
 * nested samples of the suite's cases), each evaluated as a stored eval run of the suite with its values set; the
 * finalists' Pareto front over the metric, p95 latency and cost, and the recommendation under the constraints (as
 * `yardstick tradeoff` makes it), stored as a `tune` run. An interrupt stops after the evaluation it interrupted.
 */
export async function runTune(options: TuneRunOptions): Promise<TuneJson> {
  const { config, store } = options;
  const suitePath = resolve(options.baseDir, config.suite);
  const base = await loadSuite({ path: suitePath, overrides: {} });
  const configurations = configurationsOf(config);
  const suites = await trialSuites(config, base, configurations);
  const totalCases = Math.min(config.cases ?? base.cases.length, base.cases.length);
  const rungs =
    config.search === 'halving'
      ? halvingRungs(configurations.length, totalCases, config)
      : [{ cases: totalCases, configurations: configurations.length }];
  const trials: Trial[] = configurations.map((configuration, i) => ({
    name: `trial ${i + 1}`,
    configuration,
    evaluations: [],
  }));
  const run = await RunLifecycle.start<'tune', TuneJson>(store, {
    kind: 'tune',
    config: { ...config, suite: suitePath },
    target: { kind: 'tune', name: base.config.name, url: `process://${hostname()}`, model: null, streaming: false },
  });
  options.onStarted?.(run.id, trials.length, rungs);
  let metric = config.metric ?? null;
  let alive = trials.map((_, i) => i);
  let requests = 0;
  const lastRungRuns: string[] = [];
  try {
    for (const [rungIndex, rung] of rungs.entries()) {
      const evaluated: number[] = [];
      for (const i of alive) {
        if (options.signal.aborted) break;
        const suite = suites[i];
        const trial = trials[i];
        if (suite === undefined || trial === undefined) continue;
        const plan = suitePlan(suite, 0, {
          ...(rung.cases < base.cases.length ? { sample: rung.cases } : {}),
          seed: config.seed,
          cache: false,
          ...(config.concurrency === undefined ? {} : { concurrency: config.concurrency }),
        });
        const { summary, results } = await runEval({
          suite: plan.suite,
          settings: plan.settings,
          store,
          signal: options.signal,
          resume: null,
        });
        requests += results.length;
        metric ??= summary.metrics.accuracy === undefined ? 'pass_rate' : 'accuracy';
        const value = summary.metrics[metric];
        if (value === undefined)
          throw new YardstickError({
            code: 'METRIC_UNKNOWN',
            message: `the suite's runs have no metric '${metric}'`,
            hint: `they have: ${Object.keys(summary.metrics).join(', ')}`,
            exitCode: ExitCode.usage,
          });
        const evaluation: TrialEvaluation = {
          rung: rungIndex + 1,
          cases: rung.cases,
          runId: summary.runId,
          accuracy: { value: value.value, interval: value.ci },
          p95LatencyMs: p95Bounded(summary, results),
          costPer1kRequests: costBounded(results),
          errors: results.filter((r) => r.status !== 'ok').length,
          paretoRank: 0,
          kept: false,
        };
        trial.evaluations.push(evaluation);
        evaluated.push(i);
        if (rungIndex === rungs.length - 1) lastRungRuns.push(summary.runId);
        options.onEvaluation?.(trial, evaluation, rungs);
      }
      const here = evaluated.flatMap((i) => {
        const e = trials[i]?.evaluations.at(-1);
        return e === undefined ? [] : [{ i, e }];
      });
      const objectives = objectivesOf(
        metric ?? 'accuracy',
        here.map((h) => h.e),
      );
      const points = here.map((h) => pointOf(h.e, objectives));
      const ranks = paretoRanks(points, objectives);
      here.forEach((h, k) => (h.e.paretoRank = ranks[k] ?? 0));
      const next = rungs[rungIndex + 1];
      const keep = rankedOrder(points, objectives).slice(0, next?.configurations ?? here.length);
      for (const k of keep) {
        const h = here[k];
        if (h !== undefined) h.e.kept = true;
      }
      alive = keep.flatMap((k) => (here[k] === undefined ? [] : [here[k].i]));
      if (options.signal.aborted) break;
    }
  } catch (error) {
    await run.fail();
    throw error;
  }
  const summary = await finishTune(run.id, options, {
    base,
    suitePath,
    trials,
    rungs,
    metric: metric ?? 'accuracy',
    requests,
    lastRungRuns,
  });
  await run.finish(options.signal.aborted ? 'interrupted' : 'completed', summary);
  return summary;
}

interface Outcome {
  base: LoadedSuite;
  suitePath: string;
  trials: Trial[];
  rungs: Rung[];
  metric: string;
  requests: number;
  lastRungRuns: string[];
}

/** The study's summary: the front among the finalists, and the recommendation `tradeoff` makes over their runs. */
async function finishTune(runId: string, options: TuneRunOptions, o: Outcome): Promise<TuneJson> {
  const { config, store } = options;
  const notes: string[] = [];
  const lastRung = o.rungs.length;
  const finalists = o.trials.filter((t) => t.evaluations.some((e) => e.rung === lastRung));
  const finalOf = (t: Trial): TrialEvaluation | undefined => t.evaluations.find((e) => e.rung === lastRung);
  const front = finalists.filter((t) => finalOf(t)?.paretoRank === 1).map((t) => t.name);
  const objectives = objectivesOf(
    o.metric,
    finalists.flatMap((t) => finalOf(t) ?? []),
  ).map((obj) => obj.name);
  let recommendation: TuneJson['recommendation'] = null;
  const constraints = {
    minAccuracy: config.constraints.minAccuracy ?? null,
    maxP95Ms: config.constraints.maxP95 ?? null,
    budgetPer1k: config.constraints.budget ?? null,
    prefer: config.prefer ?? null,
  };
  const records = (await Promise.all(o.lastRungRuns.map((id) => store.getRun(id)))).flatMap((r) => r ?? []);
  if (records.length >= 2) {
    try {
      const chosen = await tradeoff(records, store, o.metric, constraints);
      notes.push(...chosen.notes.filter((n) => !n.startsWith('energy per request')));
      const trial = finalists.find((t) => t.name === chosen.recommendation?.target);
      if (chosen.recommendation !== null && trial !== undefined)
        recommendation = {
          trial: trial.name,
          configuration: trial.configuration,
          reason: chosen.recommendation.reason,
          overlapsWith: chosen.recommendation.overlapsWith,
        };
      else notes.push('no finalist meets every constraint');
    } catch (error) {
      if (!(error instanceof YardstickError)) throw error;
      notes.push(`no recommendation: ${error.message}`);
    }
  } else if (finalists.length === 1 && finalists[0] !== undefined) {
    recommendation = {
      trial: finalists[0].name,
      configuration: finalists[0].configuration,
      reason: 'the only finalist',
      overlapsWith: [],
    };
  }
  if (options.signal.aborted) notes.push('interrupted: the study stopped before every evaluation ran');
  return {
    schemaVersion: 1,
    runId,
    kind: 'tune',
    suite: o.suitePath,
    search: config.search,
    seed: config.seed,
    space: Object.fromEntries(Object.entries(config.space).map(([k, v]) => [k, [...v]])),
    spaceSize: Number(spaceSize(config.space)),
    metric: o.metric,
    cases: o.rungs.at(-1)?.cases ?? 0,
    rungs: o.rungs,
    trials: o.trials,
    objectives,
    front,
    recommendation,
    requests: o.requests,
    notes,
  };
}

import {
  LATENCY_METRICS,
  type ErrorCategory,
  type LatencyMetric,
  type LatencyStats,
  type ThresholdResult,
} from '../core/types.js';
import { NS_PER_MS } from '../core/clock.js';
import { LatencyHistogram } from '../efficiency/latency-histogram.js';
import type { RunStatus } from '../store/run-record.js';
import type { TargetDescription } from '../core/types.js';
import type { CaseResult } from './case-result.js';
import type { RobustnessJson } from './robustness/robustness-summary.js';
import { repeatability, type Repeatability } from './repeatability.js';
import { meanMetric, suiteMetrics, type MetricOptions, type SuiteMetric } from './suite-metrics.js';
import { evaluateEvalThresholds, type EvalThreshold } from './thresholds.js';

export interface FailingCase {
  caseId: string;
  repeat: number;
  expected: string[];
  output: string;
  /** The failing scorers' explanations, or the request's error. */
  reasons: string[];
}

/** The `--json` output of `yardstick eval` and the summary stored with the run. */
export interface EvalJson extends EvalSections {
  schemaVersion: 1;
  runId: string;
  kind: 'eval';
  status: RunStatus;
  suite: string;
  target: TargetDescription;
  /** Cases selected (each repeated `repeats` times). */
  n: number;
  repeats: number;
  cases: { planned: number; answered: number; errored: number; unscored: number; cached: number };
  /** Accuracy metrics over the first repeat of every answered case (a robustness suite: of its original cases). */
  metrics: Record<string, SuiteMetric>;
  /** Pass rate of the cases carrying each tag (first repeat), with its interval. */
  byTag: Record<string, SuiteMetric>;
  /** Per-request latency over answers measured in this run (not from the cache), in bench's shape. */
  latencyMs: Record<LatencyMetric, LatencyStats | null>;
  /** This session's wall time from the first request to the last score, and the case-repeats it finished per second. */
  throughput: { durationS: number; casesPerS: number };
  tokens: { input: number; output: number };
  /** In the pricing's currency; `perCorrect`: the total over the answers that passed (every repeat), null when none did. */
  cost: {
    total: number | null;
    perCase: number | null;
    per1kRequests: number | null;
    perCorrect: number | null;
    judge: number | null;
  };
  errors: Partial<Record<ErrorCategory, number>>;
  scorers: Record<string, { type: string; scored: number; unscored: number; firstUnscoredReason: string | null }>;
  repeatability: Repeatability | null;
  thresholds: ThresholdResult[];
  /** Up to 20 failing or errored cases of the first repeat. */
  failingCases: FailingCase[];
  /** How many cases of the first repeat failed or errored in all (`failingCases` lists up to 20 of them). */
  failingCount: number;
  /** A suite with a `robustness` section: clean, robust and per-perturbation accuracy, paired tests, flipped cases. */
  robustness?: RobustnessJson;
}

/**
 * Sections that kinds of suite add to the eval summary, each declared by the module that fills it (benchmarks/
 * adds `benchmark`), so the eval layer stays below them: `declare module '…/eval/eval-summary.js'` and extend this.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EvalSections {}

export interface SummaryInputs {
  runId: string;
  status: RunStatus;
  suite: string;
  target: TargetDescription;
  caseCount: number;
  repeats: number;
  results: readonly CaseResult[];
  scorers: readonly { name: string; type: string }[];
  metricOptions: MetricOptions;
  thresholds: readonly EvalThreshold[];
  session: { durationS: number; finished: number };
  /** The target's instance price per hour, when it has one: each answer is charged 1/3600 of it ÷ the measured answers per second. */
  pricePerHour?: number | null;
  /** Metrics a kind of suite adds (a benchmark's per-task metrics), available to thresholds like the others. */
  extraMetrics?: Record<string, SuiteMetric>;
  /** The results the headline metrics are over (a robustness suite's originals); all of them without it. */
  headline?: (result: CaseResult) => boolean;
}

function latencyOf(results: readonly CaseResult[]): Record<LatencyMetric, LatencyStats | null> {
  const measured = results.filter((r) => r.status === 'ok' && !r.cached);
  const stats = (pick: (r: CaseResult) => number | null): LatencyStats | null => {
    const histogram = new LatencyHistogram();
    for (const r of measured) {
      const ms = pick(r);
      if (ms !== null) histogram.recordNs(ms * NS_PER_MS);
    }
    return histogram.statsMs();
  };
  const out = Object.fromEntries(LATENCY_METRICS.map((m) => [m, null])) as Record<LatencyMetric, LatencyStats | null>;
  out.e2e = stats((r) => r.e2eMs);
  out.ttft = stats((r) => r.ttftMs);
  out.tpot = stats((r) => r.tpotMs);
  return out;
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0);
}

/** Builds an eval run's summary from its stored case results (so a resumed run's summary covers every session). */
export function evalSummary(inputs: SummaryInputs): EvalJson {
  const { results } = inputs;
  const first = results.filter((r) => r.repeat === 0);
  const ok = results.filter((r) => r.status === 'ok');
  const errors: Partial<Record<ErrorCategory, number>> = {};
  for (const r of results) if (r.error !== null) errors[r.error.category] = (errors[r.error.category] ?? 0) + 1;
  const headline = inputs.headline === undefined ? first : first.filter(inputs.headline);
  const metrics = { ...suiteMetrics(headline, inputs.metricOptions), ...inputs.extraMetrics };
  const latencyMs = latencyOf(results);
  const tagged = first.filter((r) => r.status === 'ok' && r.pass !== null);
  const tags = [...new Set(tagged.flatMap((r) => r.tags))].sort();
  const byTag = Object.fromEntries(
    tags.map((tag) => {
      const withTag = tagged.filter((r) => r.tags.includes(tag));
      return [
        tag,
        meanMetric(
          withTag.map((r) => (r.pass === true ? 1 : 0)),
          withTag.map((r) => r.weight),
          inputs.metricOptions,
        ),
      ];
    }),
  );
  const casesPerS = inputs.session.durationS > 0 ? inputs.session.finished / inputs.session.durationS : 0;
  const instancePerAnswer =
    inputs.pricePerHour === undefined || inputs.pricePerHour === null || casesPerS <= 0
      ? null
      : inputs.pricePerHour / 3600 / casesPerS;
  const tokenTotal = sumOrNull(ok.map((r) => r.cost));
  const total = instancePerAnswer === null ? tokenTotal : (tokenTotal ?? 0) + instancePerAnswer * ok.length;
  const judge = sumOrNull(results.map((r) => r.judge?.cost ?? null));
  const answered = ok.length;
  const unscored = ok.filter((r) => r.pass === null).length;
  const passed = ok.filter((r) => r.pass === true).length;
  const scorers = Object.fromEntries(
    inputs.scorers.map((s) => {
      const misses = ok.filter((r) => r.scores[s.name]?.value === null);
      return [
        s.name,
        {
          type: s.type,
          scored: ok.length - misses.length,
          unscored: misses.length,
          firstUnscoredReason: misses[0]?.scores[s.name]?.explanation ?? null,
        },
      ];
    }),
  );
  const finished = results.length;
  const efficiency = {
    error_rate: finished === 0 ? null : (finished - answered) / finished,
    cost_total: total,
    cost_per_case: total === null || answered === 0 ? null : total / answered,
    cost_per_1k: total === null || answered === 0 ? null : (total / answered) * 1000,
    cost_per_correct: total === null || passed === 0 ? null : total / passed,
    unscored_rate: answered === 0 ? null : unscored / answered,
  };
  const failingAll = first.filter((r) => r.status === 'error' || r.pass === false);
  const failingCases = failingAll.slice(0, 20).map((r) => ({
    caseId: r.caseId,
    repeat: r.repeat,
    expected: r.expected,
    output: r.output.length > 200 ? `${r.output.slice(0, 199)}…` : r.output,
    reasons:
      r.status === 'error'
        ? [`${r.error?.category ?? 'error'}: ${r.error?.message ?? ''}`]
        : Object.entries(r.scores)
            .filter(([, s]) => s.pass === false)
            .map(([name, s]) => `${name}: ${s.explanation}`),
  }));
  return {
    schemaVersion: 1,
    runId: inputs.runId,
    kind: 'eval',
    status: inputs.status,
    suite: inputs.suite,
    target: inputs.target,
    n: inputs.caseCount,
    repeats: inputs.repeats,
    cases: {
      planned: inputs.caseCount * inputs.repeats,
      answered,
      errored: finished - answered,
      unscored,
      cached: ok.filter((r) => r.cached).length,
    },
    metrics,
    byTag,
    latencyMs,
    throughput: { durationS: inputs.session.durationS, casesPerS },
    tokens: {
      input: ok.reduce((s, r) => s + (r.tokensIn ?? 0), 0),
      output: ok.reduce((s, r) => s + (r.tokensOut ?? 0), 0),
    },
    cost: {
      total,
      perCase: efficiency.cost_per_case,
      per1kRequests: efficiency.cost_per_1k,
      perCorrect: efficiency.cost_per_correct,
      judge,
    },
    errors,
    scorers,
    repeatability: repeatability(results, inputs.repeats, inputs.metricOptions),
    thresholds: evaluateEvalThresholds(inputs.thresholds, { metrics, latencyMs, efficiency }),
    failingCases,
    failingCount: failingAll.length,
  };
}

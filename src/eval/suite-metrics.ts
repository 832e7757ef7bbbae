import { evaluateClassification, type MetricValue } from '../accuracy/evaluate.js';
import { bootstrapPercentile } from '../stats/bootstrap.js';
import { wilsonInterval } from '../stats/proportion-intervals.js';
import { standardErrorOfMean } from '../stats/standard-errors.js';
import type { CaseResult } from './case-result.js';

/** A suite metric: its value, interval, standard error (null where only the bootstrap gives an interval) and the cases it rests on. */
export interface SuiteMetric extends MetricValue {
  se: number | null;
  n: number;
}

export interface MetricOptions {
  confidence: number;
  resamples: number;
  seed: number;
  /** Name of the suite's first `choice` scorer, whose labels feed the classification metrics; null if none. */
  labelScorer: string | null;
  scorerNames: readonly string[];
}

/** Metric names produced from labels extracted by a `choice` scorer. */
export const LABEL_METRICS = [
  'accuracy',
  'balanced_accuracy',
  'precision_macro',
  'recall_macro',
  'f1_macro',
  'precision_weighted',
  'recall_weighted',
  'f1_weighted',
  'f1_micro',
  'matthews_corrcoef',
  'cohen_kappa',
  'invalid_rate',
] as const;

/** Every metric name a suite with these scorers can report (thresholds are checked against it before the run). */
export function possibleMetricNames(scorerNames: readonly string[], hasLabels: boolean): string[] {
  return ['pass_rate', 'score', ...scorerNames, ...(hasLabels ? LABEL_METRICS : [])];
}

/** Label of an answer that named no choice: kept in the confusion matrix, where it counts as wrong. */
export const NO_CHOICE = '(none)';

function weightedMean(
  values: readonly number[],
  weights: readonly number[],
  indices: ArrayLike<number> | null,
): number {
  let sum = 0;
  let total = 0;
  const n = indices === null ? values.length : indices.length;
  for (let k = 0; k < n; k += 1) {
    const i = indices === null ? k : (indices[k] as number);
    sum += (values[i] as number) * (weights[i] as number);
    total += weights[i] as number;
  }
  return total > 0 ? sum / total : Number.NaN;
}

/**
 * The mean of per-case values with its interval: Wilson for unweighted pass/fail values (a proportion), else
 * a seeded percentile bootstrap over cases. The standard error is the proportion's or the mean's.
 */
export function meanMetric(
  values: readonly number[],
  weights: readonly number[] | null,
  options: Pick<MetricOptions, 'confidence' | 'resamples' | 'seed'>,
): SuiteMetric {
  const n = values.length;
  const w = weights ?? values.map(() => 1);
  const value = weightedMean(values, w, null);
  if (n === 0) return { value: Number.NaN, ci: null, se: null, n };
  const binary = values.every((v) => v === 0 || v === 1);
  const unweighted = w.every((x) => x === 1);
  if (binary && unweighted) {
    const successes = values.filter((v) => v === 1).length;
    const interval = wilsonInterval(successes, n, options.confidence);
    return { value, ci: [interval.low, interval.high], se: Math.sqrt((value * (1 - value)) / n), n };
  }
  const interval =
    options.resamples > 0 ? bootstrapPercentile(n, (indices) => weightedMean(values, w, indices), options) : null;
  return {
    value,
    ci: interval === null ? null : [interval.low, interval.high],
    se: unweighted ? standardErrorOfMean(values) : null,
    n,
  };
}

/** The suite's accuracy metrics over scored cases: pass rate, mean score, each scorer's mean, and label metrics when a choice scorer extracts labels. */
export function suiteMetrics(results: readonly CaseResult[], options: MetricOptions): Record<string, SuiteMetric> {
  const ok = results.filter((r) => r.status === 'ok');
  const metrics: Record<string, SuiteMetric> = {};
  const passed = ok.filter((r) => r.pass !== null);
  metrics.pass_rate = meanMetric(
    passed.map((r) => (r.pass === true ? 1 : 0)),
    passed.map((r) => r.weight),
    options,
  );
  const scored = ok.filter((r) => r.score !== null);
  metrics.score = meanMetric(
    scored.map((r) => r.score ?? 0),
    scored.map((r) => r.weight),
    options,
  );
  for (const name of options.scorerNames) {
    const values = ok.map((r) => r.scores[name]?.value ?? null).filter((v): v is number => v !== null);
    metrics[name] = meanMetric(values, null, options);
  }
  if (options.labelScorer !== null) {
    const labelled = ok.filter((r) => r.expectedLabel !== null);
    if (labelled.length > 0) {
      const truth = labelled.map((r) => r.expectedLabel ?? '');
      const predicted = labelled.map((r) => r.label ?? NO_CHOICE);
      const report = evaluateClassification(truth, predicted, null, undefined, options);
      for (const [name, metric] of Object.entries(report.metrics)) {
        const se = name === 'accuracy' ? Math.sqrt((metric.value * (1 - metric.value)) / labelled.length) : null;
        metrics[name] = { ...metric, se, n: labelled.length };
      }
      metrics.invalid_rate = meanMetric(
        labelled.map((r) => (r.label === null ? 1 : 0)),
        null,
        options,
      );
    }
  }
  return metrics;
}

import { pearsonR, spearmanR } from '../accuracy/regression.js';
import type { ChoicePrediction } from '../eval/case-result.js';
import { meanMetric, type SuiteMetric } from '../eval/suite-metrics.js';
import { bootstrapWithError, type BootstrapOptions } from '../stats/bootstrap.js';
import type { TaskMetricName } from './task.js';

/** A predicted index that names no choice: its own class, so it never counts as any class (always wrong). */
const NONE = -1;

function predictedOf(p: ChoicePrediction, norm: boolean): number {
  return (norm ? p.predictedNorm : p.predicted) ?? NONE;
}

/** Binary F1 of "is class `positive`": 2TP / (2TP + FP + FN); 0 when there is no positive at all (scikit-learn's zero_division=0). */
function binaryF1(items: readonly ChoicePrediction[], indices: ArrayLike<number> | null, positive: number): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const n = indices === null ? items.length : indices.length;
  for (let k = 0; k < n; k += 1) {
    const p = items[indices === null ? k : (indices[k] as number)] as ChoicePrediction;
    const truth = p.gold[0] === positive;
    const guess = predictedOf(p, false) === positive;
    if (truth && guess) tp += 1;
    else if (guess) fp += 1;
    else if (truth) fn += 1;
  }
  return tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** Matthews correlation over the confusion matrix of gold and predicted classes (multiclass form; `NONE` is a class of its own). */
function mcc(items: readonly ChoicePrediction[], indices: ArrayLike<number> | null): number {
  const n = indices === null ? items.length : indices.length;
  const truthCounts = new Map<number, number>();
  const predCounts = new Map<number, number>();
  let correct = 0;
  for (let k = 0; k < n; k += 1) {
    const p = items[indices === null ? k : (indices[k] as number)] as ChoicePrediction;
    const t = p.gold[0] ?? NONE;
    const g = predictedOf(p, false);
    truthCounts.set(t, (truthCounts.get(t) ?? 0) + 1);
    predCounts.set(g, (predCounts.get(g) ?? 0) + 1);
    if (t === g) correct += 1;
  }
  let tk = 0;
  let pp = 0;
  let tt = 0;
  for (const [label, count] of truthCounts) {
    tk += count * (predCounts.get(label) ?? 0);
    tt += count * count;
  }
  for (const count of predCounts.values()) pp += count * count;
  const denominator = Math.sqrt((n * n - pp) * (n * n - tt));
  return denominator === 0 ? 0 : (correct * n - tk) / denominator;
}

function macroF1(items: readonly ChoicePrediction[], indices: ArrayLike<number> | null): number {
  const classes = items[0]?.choiceCount ?? 0;
  let sum = 0;
  for (let c = 0; c < classes; c += 1) sum += binaryF1(items, indices, c);
  return classes === 0 ? Number.NaN : sum / classes;
}

function isCorrect(p: ChoicePrediction, norm: boolean): number {
  const chosen = norm ? p.predictedNorm : p.predicted;
  return chosen !== null && p.gold.includes(chosen) ? 1 : 0;
}

/** A statistic with its percentile bootstrap interval and bootstrap standard error. */
function bootstrapped(
  n: number,
  statistic: (indices: ArrayLike<number> | null) => number,
  options: BootstrapOptions,
): SuiteMetric {
  const { interval, se } = bootstrapWithError(n, (indices) => statistic(indices), options);
  return { value: statistic(null), ci: interval === null ? null : [interval.low, interval.high], se, n };
}

/** MultiRC's exact match: the share of questions whose every answer option was judged right. */
function questionGroups(items: readonly ChoicePrediction[]): number[] {
  const groups = new Map<string, boolean>();
  for (const p of items) {
    const key = p.group ?? '';
    groups.set(key, (groups.get(key) ?? true) && isCorrect(p, false) === 1);
  }
  return [...groups.values()].map((allRight) => (allRight ? 1 : 0));
}

/** One task metric with its interval, standard error and n; null when the task's answers cannot give it. */
export function taskMetric(
  name: TaskMetricName,
  items: readonly ChoicePrediction[],
  options: BootstrapOptions,
): SuiteMetric | null {
  switch (name) {
    case 'acc':
      return meanMetric(
        items.map((p) => isCorrect(p, false)),
        null,
        options,
      );
    case 'acc_norm':
      return items.some((p) => p.predictedNorm !== null)
        ? meanMetric(
            items.map((p) => isCorrect(p, true)),
            null,
            options,
          )
        : null;
    case 'mcc':
      return bootstrapped(items.length, (ix) => mcc(items, ix), options);
    case 'f1':
      return bootstrapped(items.length, (ix) => binaryF1(items, ix, 1), options);
    case 'macro_f1':
      return bootstrapped(items.length, (ix) => macroF1(items, ix), options);
    case 'f1a':
      return bootstrapped(items.length, (ix) => binaryF1(items, ix, 0), options);
    case 'em':
      return meanMetric(questionGroups(items), null, options);
    case 'record_f1':
      return meanMetric(
        items.map((p) => p.f1 ?? 0),
        null,
        options,
      );
    case 'record_em':
      return meanMetric(
        items.map((p) => p.em ?? 0),
        null,
        options,
      );
    case 'pearson':
    case 'spearman': {
      const pairs = items.filter((p) => p.value !== null && p.goldValue !== null);
      const correlation = name === 'pearson' ? pearsonR : spearmanR;
      const pick = (ix: ArrayLike<number> | null, f: (p: ChoicePrediction) => number): Float64Array =>
        Float64Array.from(ix === null ? pairs.map(f) : Array.from(ix, (i) => f(pairs[i] as ChoicePrediction)));
      return bootstrapped(
        pairs.length,
        (ix) =>
          correlation(
            pick(ix, (p) => p.goldValue ?? 0),
            pick(ix, (p) => p.value ?? 0),
          ),
        options,
      );
    }
  }
}

function uniformF1(prevalence: number, choices: number): number {
  const guess = 1 / choices;
  return prevalence + guess === 0 ? 0 : (2 * prevalence * guess) / (prevalence + guess);
}

/** The metric's expected value for a guesser picking uniformly at random among each case's choices; null where it has no closed form (ReCoRD F1). */
export function chanceOf(name: TaskMetricName, items: readonly ChoicePrediction[]): number | null {
  const n = items.length;
  if (n === 0) return null;
  const share = (c: number): number => items.filter((p) => p.gold[0] === c).length / n;
  const choices = items[0]?.choiceCount ?? 2;
  switch (name) {
    case 'acc':
    case 'acc_norm':
    case 'record_em':
      return items.reduce((s, p) => s + p.gold.length / Math.max(1, p.choiceCount), 0) / n;
    case 'mcc':
    case 'pearson':
    case 'spearman':
      return 0;
    case 'f1':
      return uniformF1(share(1), choices);
    case 'f1a':
      return uniformF1(share(0), 2);
    case 'macro_f1':
      return (
        Array.from({ length: choices }, (_, c) => uniformF1(share(c), choices)).reduce((a, b) => a + b, 0) / choices
      );
    case 'em': {
      const sizes = new Map<string, number>();
      for (const p of items) sizes.set(p.group ?? '', (sizes.get(p.group ?? '') ?? 0) + 1);
      return [...sizes.values()].reduce((s, k) => s + 0.5 ** k, 0) / sizes.size;
    }
    case 'record_f1':
      return null;
  }
}

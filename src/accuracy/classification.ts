import { usageError } from '../core/errors.js';
import { confusionFromCodes, diagonal, predSums, trueSums, type ConfusionMatrix } from './confusion-matrix.js';
import { encodeLabels, type Label } from './labels.js';

/**
 * Classification metrics with scikit-learn's definitions and edge-case conventions (checked against
 * scikit-learn 1.2.1 in classification.test.ts). All take the confusion matrix, so a file of predictions is
 * counted once and every metric reads the counts.
 */

export type Average = 'binary' | 'micro' | 'macro' | 'weighted';
/** What a 0/0 precision, recall or F-score becomes; scikit-learn's default `"warn"` behaves as 0. */
export type ZeroDivision = 0 | 1;

export interface PrfOptions {
  average: Average | null;
  /** The positive class for `average: 'binary'`. */
  posLabel?: Label;
  beta?: number;
  zeroDivision?: ZeroDivision;
}

/** Per-class values (average null) or one averaged value. */
export interface Prf<T> {
  precision: T;
  recall: T;
  fScore: T;
  /** Number of true instances of each class (per class only). */
  support: T extends number ? null : Float64Array;
}

/** Builds the confusion matrix of two label arrays. */
export function confusionOf(yTrue: readonly Label[], yPred: readonly Label[]): ConfusionMatrix {
  const encoded = encodeLabels(yTrue, yPred);
  return confusionFromCodes(encoded.trueCodes, encoded.predCodes, encoded.labels);
}

function total(cm: ConfusionMatrix): number {
  let n = 0;
  for (const v of cm.counts) n += v;
  return n;
}

/** Fraction of exact matches; NaN for no samples. */
export function accuracy(cm: ConfusionMatrix): number {
  const n = total(cm);
  let correct = 0;
  for (const v of diagonal(cm)) correct += v;
  return n === 0 ? Number.NaN : correct / n;
}

/** Mean recall over the classes present in the true labels; `adjusted` rescales so chance is 0 (scikit-learn's balanced_accuracy_score). */
export function balancedAccuracy(cm: ConfusionMatrix, adjusted = false): number {
  const rows = trueSums(cm);
  const tp = diagonal(cm);
  let sum = 0;
  let classes = 0;
  for (let i = 0; i < cm.size; i += 1) {
    if ((rows[i] as number) === 0) continue;
    sum += (tp[i] as number) / (rows[i] as number);
    classes += 1;
  }
  let score = classes === 0 ? Number.NaN : sum / classes;
  if (adjusted) {
    const chance = 1 / classes;
    score = (score - chance) / (1 - chance);
  }
  return score;
}

function divide(numerator: Float64Array, denominator: Float64Array, zeroDivision: number): Float64Array {
  return numerator.map((n, i) => ((denominator[i] as number) === 0 ? zeroDivision : n / (denominator[i] as number)));
}

function selectBinary(cm: ConfusionMatrix, posLabel: Label): number {
  if (cm.size > 2)
    throw usageError(
      'AVERAGE_BINARY_MULTICLASS',
      `average 'binary' needs two classes, the data has ${cm.size}`,
      "choose average 'micro', 'macro' or 'weighted'",
    );
  const index = cm.labels.findIndex((l) => l === posLabel);
  if (index < 0 && cm.size >= 2) {
    throw usageError(
      'POS_LABEL_UNKNOWN',
      `pos_label ${JSON.stringify(posLabel)} is not one of the labels ${JSON.stringify(cm.labels)}`,
      'set --pos-label to one of them',
    );
  }
  return index;
}

/** Precision, recall, F-beta and support, as scikit-learn's precision_recall_fscore_support (1.2 semantics). */
export function precisionRecallF(cm: ConfusionMatrix, options: PrfOptions & { average: null }): Prf<Float64Array>;
export function precisionRecallF(cm: ConfusionMatrix, options: PrfOptions & { average: Average }): Prf<number>;
export function precisionRecallF(cm: ConfusionMatrix, options: PrfOptions): Prf<Float64Array> | Prf<number> {
  const beta = options.beta ?? 1;
  const zeroDivision = options.zeroDivision ?? 0;
  let tp = diagonal(cm);
  let predicted = predSums(cm);
  let actual = trueSums(cm);
  if (options.average === 'binary') {
    const index = selectBinary(cm, options.posLabel ?? 1);
    // A positive label absent from data with a single class counts as zero everywhere.
    tp = Float64Array.of(index < 0 ? 0 : (tp[index] as number));
    predicted = Float64Array.of(index < 0 ? 0 : (predicted[index] as number));
    actual = Float64Array.of(index < 0 ? 0 : (actual[index] as number));
  } else if (options.average === 'micro') {
    const sum = (a: Float64Array): Float64Array => Float64Array.of(a.reduce((x, y) => x + y, 0));
    tp = sum(tp);
    predicted = sum(predicted);
    actual = sum(actual);
  }
  const precision = divide(tp, predicted, zeroDivision);
  const recall = divide(tp, actual, zeroDivision);
  const beta2 = beta * beta;
  const fScore = precision.map((p, i) => {
    const r = recall[i] as number;
    if (beta === Infinity) return r;
    const denominator = beta2 * p + r;
    return ((1 + beta2) * p * r) / (denominator === 0 ? 1 : denominator);
  });
  if (options.average === null) return { precision, recall, fScore, support: actual };
  if (options.average === 'weighted') {
    const weightSum = actual.reduce((a, b) => a + b, 0);
    if (weightSum === 0) {
      const noPredictions = predicted.reduce((a, b) => a + b, 0) === 0;
      return {
        precision: noPredictions ? zeroDivision : 0,
        recall: zeroDivision,
        fScore: noPredictions ? zeroDivision : 0,
        support: null,
      };
    }
    const weighted = (values: Float64Array): number =>
      values.reduce((s, v, i) => s + v * (actual[i] as number), 0) / weightSum;
    return { precision: weighted(precision), recall: weighted(recall), fScore: weighted(fScore), support: null };
  }
  const mean = (values: Float64Array): number =>
    values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
  return { precision: mean(precision), recall: mean(recall), fScore: mean(fScore), support: null };
}

/** Matthews correlation coefficient, multiclass form (scikit-learn's matthews_corrcoef); 0 when undefined. */
export function matthewsCorrcoef(cm: ConfusionMatrix): number {
  const t = trueSums(cm);
  const p = predSums(cm);
  const n = total(cm);
  let correct = 0;
  for (const v of diagonal(cm)) correct += v;
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let i = 0; i < cm.size; i += 1) {
    tp += (t[i] as number) * (p[i] as number);
    pp += (p[i] as number) * (p[i] as number);
    tt += (t[i] as number) * (t[i] as number);
  }
  const covTP = correct * n - tp;
  const covPP = n * n - pp;
  const covTT = n * n - tt;
  if (covPP * covTT === 0) return 0;
  return covTP / Math.sqrt(covTT * covPP);
}

/** Cohen's kappa between the two label sets, unweighted or with linear/quadratic weights (scikit-learn's cohen_kappa_score). */
export function cohenKappa(cm: ConfusionMatrix, weights: 'none' | 'linear' | 'quadratic' = 'none'): number {
  const k = cm.size;
  const predicted = predSums(cm);
  const actual = trueSums(cm);
  const n = predicted.reduce((a, b) => a + b, 0);
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i += 1) {
    for (let j = 0; j < k; j += 1) {
      const w = weights === 'none' ? (i === j ? 0 : 1) : weights === 'linear' ? Math.abs(i - j) : (i - j) ** 2;
      observed += w * (cm.counts[i * k + j] as number);
      expected += (w * (predicted[i] as number) * (actual[j] as number)) / n;
    }
  }
  return 1 - observed / expected;
}

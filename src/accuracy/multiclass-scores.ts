import { usageError } from '../core/errors.js';
import { rocAucBinary } from './scores.js';

/**
 * Metrics of per-class scores (an n × k matrix, one column per class in sorted label order), with
 * scikit-learn's definitions; `truth[i]` is the class index of sample i.
 */

export interface ScoreMatrix {
  /** Row-major n × k. */
  values: Float64Array;
  rows: number;
  classes: number;
}

function column(scores: ScoreMatrix, c: number, rows: readonly number[]): Float64Array {
  return Float64Array.from(rows, (r) => scores.values[r * scores.classes + c] as number);
}

function checkShape(truth: Int32Array, scores: ScoreMatrix): void {
  if (truth.length !== scores.rows)
    throw usageError(
      'LENGTH_MISMATCH',
      `${truth.length} labels but ${scores.rows} score rows`,
      'give one row of scores per label',
    );
}

/**
 * Whether a row of class probabilities sums to 1 as scikit-learn's `roc_auc_score` accepts it: numpy's
 * `allclose(1, sum)`, |1 − sum| ≤ 1e-8 + 1e-5·|sum| — probabilities written with six decimals pass.
 */
export function sumsToOne(sum: number): boolean {
  return Math.abs(1 - sum) <= 1e-8 + 1e-5 * Math.abs(sum);
}

/**
 * Multiclass ROC AUC: one-vs-rest (each class against all others) or one-vs-one (Hand & Till: every pair of
 * classes, both directions averaged), macro or weighted by prevalence. Like scikit-learn, it needs every class
 * present in the truth and each score row to be a probability distribution.
 */
export function rocAucMulticlass(
  truth: Int32Array,
  scores: ScoreMatrix,
  strategy: 'ovr' | 'ovo',
  average: 'macro' | 'weighted',
): number {
  checkShape(truth, scores);
  const k = scores.classes;
  const counts = new Float64Array(k);
  truth.forEach((c) => (counts[c] = (counts[c] as number) + 1));
  if (counts.some((c) => c === 0))
    throw usageError(
      'ROC_AUC_CLASS_ABSENT',
      'multiclass ROC AUC needs every class present in the true labels',
      'evaluate on data with every class, or drop the empty columns',
    );
  for (let r = 0; r < scores.rows; r += 1) {
    let sum = 0;
    for (let c = 0; c < k; c += 1) sum += scores.values[r * k + c] as number;
    if (!sumsToOne(sum))
      throw usageError(
        'PROBABILITIES_NOT_NORMALIZED',
        `scores in row ${r + 1} sum to ${sum}, not 1`,
        'multiclass ROC AUC needs class probabilities (softmax the scores first)',
      );
  }
  const all = Array.from({ length: scores.rows }, (_, i) => i);
  if (strategy === 'ovr') {
    const aucs = Array.from({ length: k }, (_, c) =>
      rocAucBinary(
        Array.from(truth, (t) => t === c),
        column(scores, c, all),
      ),
    );
    return average === 'macro'
      ? aucs.reduce((a, b) => a + b, 0) / k
      : aucs.reduce((s, auc, c) => s + auc * (counts[c] as number), 0) / scores.rows;
  }
  let sum = 0;
  let weightSum = 0;
  let pairs = 0;
  for (let a = 0; a < k; a += 1) {
    for (let b = a + 1; b < k; b += 1) {
      const rows = all.filter((i) => truth[i] === a || truth[i] === b);
      const aucA = rocAucBinary(
        rows.map((i) => truth[i] === a),
        column(scores, a, rows),
      );
      const aucB = rocAucBinary(
        rows.map((i) => truth[i] === b),
        column(scores, b, rows),
      );
      const score = (aucA + aucB) / 2;
      const prevalence = rows.length / scores.rows;
      sum += average === 'macro' ? score : score * prevalence;
      weightSum += prevalence;
      pairs += 1;
    }
  }
  return average === 'macro' ? sum / pairs : sum / weightSum;
}

/**
 * Share of samples whose true class is among the k highest scores. Ties are broken as scikit-learn's
 * `top_k_accuracy_score` breaks them: among equal scores, the higher class index ranks first.
 */
export function topKAccuracy(truth: Int32Array, scores: ScoreMatrix, k: number): number {
  checkShape(truth, scores);
  let hits = 0;
  for (let r = 0; r < scores.rows; r += 1) {
    const t = truth[r] as number;
    const own = scores.values[r * scores.classes + t] as number;
    let above = 0;
    for (let c = 0; c < scores.classes; c += 1) {
      const s = scores.values[r * scores.classes + c] as number;
      if (s > own || (s === own && c > t)) above += 1;
    }
    if (above < k) hits += 1;
  }
  return hits / scores.rows;
}

/** Hamming loss of multilabel indicator rows: the share of label slots predicted wrongly. */
export function hammingLoss(truth: readonly (readonly number[])[], prediction: readonly (readonly number[])[]): number {
  let wrong = 0;
  let slots = 0;
  truth.forEach((row, i) => {
    row.forEach((v, j) => {
      if (v !== prediction[i]?.[j]) wrong += 1;
      slots += 1;
    });
  });
  return wrong / slots;
}

/** Subset accuracy of multilabel indicator rows: the share of samples whose whole label set is right. */
export function subsetAccuracy(
  truth: readonly (readonly number[])[],
  prediction: readonly (readonly number[])[],
): number {
  let exact = 0;
  truth.forEach((row, i) => {
    if (row.every((v, j) => v === prediction[i]?.[j])) exact += 1;
  });
  return exact / truth.length;
}

/**
 * Multiclass cross-entropy: −mean log of the probability given to the true class, each row clipped to
 * [ε, 1 − ε] and renormalized first, as scikit-learn's log_loss does.
 */
export function logLossMulticlass(truth: Int32Array, scores: ScoreMatrix): number {
  checkShape(truth, scores);
  const k = scores.classes;
  let sum = 0;
  for (let r = 0; r < scores.rows; r += 1) {
    let rowSum = 0;
    for (let c = 0; c < k; c += 1)
      rowSum += Math.min(Math.max(scores.values[r * k + c] as number, Number.EPSILON), 1 - Number.EPSILON);
    const own = Math.min(
      Math.max(scores.values[r * k + (truth[r] as number)] as number, Number.EPSILON),
      1 - Number.EPSILON,
    );
    sum -= Math.log(own / rowSum);
  }
  return sum / scores.rows;
}

import { usageError } from '../core/errors.js';

/**
 * Metrics of binary scores and probabilities, with scikit-learn's definitions (checked against scikit-learn 1.2.1
 * in scores.test.ts). `positives[i]` is whether sample i belongs to the positive class.
 */

type Flags = ArrayLike<boolean>;
type Scores = ArrayLike<number>;

function checkPair(positives: Flags, scores: Scores): number {
  if (positives.length !== scores.length)
    throw usageError(
      'LENGTH_MISMATCH',
      `${positives.length} labels but ${scores.length} scores`,
      'give one score per label',
    );
  return positives.length;
}

/** Sample indices ordered by descending score (stable), and the count of positives. */
function byDescendingScore(positives: Flags, scores: Scores): { order: Uint32Array; positiveCount: number } {
  const n = checkPair(positives, scores);
  const order = new Uint32Array(n);
  let positiveCount = 0;
  for (let i = 0; i < n; i += 1) {
    order[i] = i;
    if (positives[i] === true) positiveCount += 1;
  }
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number));
  return { order, positiveCount };
}

/**
 * Area under the ROC curve. Equal to the probability that a random positive scores above a random negative, ties
 * counting one half (the trapezoidal area scikit-learn computes). Undefined with only one class present.
 */
export function rocAucBinary(positives: Flags, scores: Scores): number {
  const { order, positiveCount } = byDescendingScore(positives, scores);
  const negativeCount = order.length - positiveCount;
  if (positiveCount === 0 || negativeCount === 0) {
    throw usageError(
      'ROC_AUC_ONE_CLASS',
      'ROC AUC is undefined when the true labels hold only one class',
      'evaluate on data with both classes',
    );
  }
  let area = 0;
  let tp = 0;
  for (let i = 0; i < order.length;) {
    const score = scores[order[i] as number] as number;
    let groupTp = 0;
    let groupFp = 0;
    while (i < order.length && scores[order[i] as number] === score) {
      if (positives[order[i] as number] === true) groupTp += 1;
      else groupFp += 1;
      i += 1;
    }
    // The trapezoid this group of tied scores adds, in counts: its negatives times the positives ranked above
    // them, plus half of the positives tied with them.
    area += groupFp * (tp + groupTp / 2);
    tp += groupTp;
  }
  return area / (positiveCount * negativeCount);
}

/**
 * Average precision: Σ (Rₙ − Rₙ₋₁)·Pₙ over the distinct score thresholds, highest first. Without positives it is 0,
 * as scikit-learn's (which sets recall to 1 at every threshold and warns); callers say so.
 */
export function averagePrecision(positives: Flags, scores: Scores): number {
  const { order, positiveCount } = byDescendingScore(positives, scores);
  if (positiveCount === 0) return 0;
  let sum = 0;
  let tp = 0;
  let seen = 0;
  let previousRecall = 0;
  for (let i = 0; i < order.length;) {
    const score = scores[order[i] as number] as number;
    while (i < order.length && scores[order[i] as number] === score) {
      if (positives[order[i] as number] === true) tp += 1;
      seen += 1;
      i += 1;
    }
    const recall = tp / positiveCount;
    sum += (recall - previousRecall) * (tp / seen);
    previousRecall = recall;
  }
  return sum;
}

function checkProbability(p: number, i: number): void {
  if (!(p >= 0 && p <= 1))
    throw usageError(
      'PROBABILITY_RANGE',
      `probability ${p} at row ${i + 1} is outside [0, 1]`,
      'give probabilities, not raw scores or logits',
    );
}

/** Binary cross-entropy of the positive-class probabilities, clipped to [ε, 1 − ε] as scikit-learn's log_loss. */
export function logLossBinary(positives: Flags, probabilities: Scores): number {
  const n = checkPair(positives, probabilities);
  let sum = 0;
  for (let i = 0; i < n; i += 1) {
    const raw = probabilities[i] as number;
    checkProbability(raw, i);
    const p = Math.min(Math.max(raw, Number.EPSILON), 1 - Number.EPSILON);
    // scikit-learn renormalizes the two clipped columns to sum to 1 before taking logs.
    const total = p + (1 - p);
    sum -= Math.log((positives[i] === true ? p : 1 - p) / total);
  }
  return sum / n;
}

/** Brier score: mean squared difference between the positive-class probability and the outcome. */
export function brierScore(positives: Flags, probabilities: Scores): number {
  const n = checkPair(positives, probabilities);
  let sum = 0;
  for (let i = 0; i < n; i += 1) {
    const p = probabilities[i] as number;
    checkProbability(p, i);
    sum += (p - (positives[i] === true ? 1 : 0)) ** 2;
  }
  return sum / n;
}

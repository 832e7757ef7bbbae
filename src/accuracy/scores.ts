import { usageError } from '../core/errors.js';
import { eachPlacement, sortedClasses, type SortedClasses } from './sorted-classes.js';

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

/**
 * Area under the ROC curve. Equal to the probability that a random positive scores above a random negative, ties
 * counting one half (the trapezoidal area scikit-learn computes). Undefined with only one class present.
 */
export function rocAucBinary(positives: Flags, scores: Scores): number {
  checkPair(positives, scores);
  return rocAucOfSorted(sortedClasses(positives, scores));
}

/** ROC AUC of scores already split by class and sorted (`sortedClasses`). */
export function rocAucOfSorted(sorted: SortedClasses): number {
  const positiveCount = sorted.positives.length;
  const negativeCount = sorted.negatives.length;
  if (positiveCount === 0 || negativeCount === 0) {
    throw usageError(
      'ROC_AUC_ONE_CLASS',
      'ROC AUC is undefined when the true labels hold only one class',
      'evaluate on data with both classes',
    );
  }
  // Counts of (positive, negative) pairs ordered right, ties one half: whole and half numbers, summed exactly.
  let area = 0;
  eachPlacement(sorted.positives, sorted.negatives, (_, count) => {
    area += count;
  });
  return area / (positiveCount * negativeCount);
}

/**
 * Average precision: Σ (Rₙ − Rₙ₋₁)·Pₙ over the distinct score thresholds, highest first. Without positives it is 0,
 * as scikit-learn's (which sets recall to 1 at every threshold and warns); callers say so.
 */
export function averagePrecision(positives: Flags, scores: Scores): number {
  checkPair(positives, scores);
  return averagePrecisionOfSorted(sortedClasses(positives, scores));
}

/** Average precision of scores already split by class and sorted (`sortedClasses`). */
export function averagePrecisionOfSorted(sorted: SortedClasses): number {
  const pos = sorted.positives;
  const neg = sorted.negatives;
  const positiveCount = pos.length;
  if (positiveCount === 0) return 0;
  let sum = 0;
  let tp = 0;
  let seen = 0;
  let previousRecall = 0;
  let i = pos.length - 1;
  let j = neg.length - 1;
  while (i >= 0 || j >= 0) {
    // The next threshold, from the top: the greater of the two classes' next scores, with every sample tied to it.
    const score = Math.max(i >= 0 ? (pos[i] as number) : -Infinity, j >= 0 ? (neg[j] as number) : -Infinity);
    while (i >= 0 && pos[i] === score) {
      tp += 1;
      seen += 1;
      i -= 1;
    }
    while (j >= 0 && neg[j] === score) {
      seen += 1;
      j -= 1;
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

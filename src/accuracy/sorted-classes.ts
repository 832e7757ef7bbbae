import { sortFloat64 } from '../stats/sort-float64.js';

/**
 * The scores of the positive and the negative samples, each sorted ascending (a radix sort of the values: no
 * comparator, no index array). Walking the two together gives every rank statistic of binary scores: ROC AUC, its
 * DeLong variance and average precision, in one merge.
 */
export interface SortedClasses {
  positives: Float64Array;
  negatives: Float64Array;
}

export function sortedClasses(positives: ArrayLike<boolean>, scores: ArrayLike<number>): SortedClasses {
  let positiveCount = 0;
  for (let i = 0; i < positives.length; i += 1) if (positives[i] === true) positiveCount += 1;
  const pos = new Float64Array(positiveCount);
  const neg = new Float64Array(positives.length - positiveCount);
  let p = 0;
  let q = 0;
  for (let i = 0; i < positives.length; i += 1) {
    if (positives[i] === true) pos[p++] = scores[i] as number;
    else neg[q++] = scores[i] as number;
  }
  sortFloat64(pos);
  sortFloat64(neg);
  return { positives: pos, negatives: neg };
}

/**
 * For each value of `a` (sorted), the number of values of `b` (sorted) below it plus half of those equal to it;
 * `visit(i, count)` is called in order. With a = positives and b = negatives, the mean count over the negatives is
 * the ROC AUC; each count over |b| is DeLong's structural component of that sample.
 */
export function eachPlacement(a: Float64Array, b: Float64Array, visit: (i: number, count: number) => void): void {
  let below = 0;
  let upTo = 0;
  for (let i = 0; i < a.length; i += 1) {
    const value = a[i] as number;
    while (below < b.length && (b[below] as number) < value) below += 1;
    if (upTo < below) upTo = below;
    while (upTo < b.length && (b[upTo] as number) === value) upTo += 1;
    visit(i, below + (upTo - below) / 2);
  }
}

import { binomialCdfAt } from './distributions.js';

/**
 * Distribution-free confidence bounds for a quantile from order statistics. With B ~ Binomial(n, q) the number of n
 * samples at or below the q-quantile ξ, P(X₍ₗ₎ ≤ ξ) = P(B ≥ l) and P(X₍ᵤ₎ ≥ ξ) = P(B ≤ u − 1): the ranks l and u
 * are chosen so that each side misses with probability at most α/2, whatever the distribution (continuous). This is
 * the binomial bound MLPerf LoadGen's early stopping uses on one side.
 */
export interface QuantileRanks {
  /** Rank (from 1) of the lower bound; null when no order statistic is low enough (too few samples). */
  lower: number | null;
  /** Rank (from 1) of the upper bound; null when none is high enough: then `needsMore` more samples are needed. */
  upper: number | null;
  /** More samples the upper bound needs (0 when it exists). */
  needsMore: number;
}

/** The smallest k in [0, n] with P(B ≤ k) ≥ target, by bisection on the binomial distribution function. */
function smallestCountReaching(n: number, q: number, target: number): number {
  let low = 0;
  let high = n;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (binomialCdfAt(middle, n, q) >= target) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Samples the upper bound of the q-quantile needs at confidence c (two-sided): the smallest n with qⁿ ≤ (1 − c)/2. */
export function samplesForUpperBound(q: number, confidence: number): number {
  return Math.ceil(Math.log((1 - confidence) / 2) / Math.log(q));
}

/** The order-statistic ranks bounding the q-quantile of n samples at two-sided confidence `confidence`. */
export function quantileRanks(n: number, q: number, confidence: number): QuantileRanks {
  const tail = (1 - confidence) / 2;
  const needed = samplesForUpperBound(q, confidence);
  if (n === 0) return { lower: null, upper: null, needsMore: needed };
  // Lower: the largest l with P(B ≤ l − 1) ≤ α/2; none when even P(B = 0) exceeds it.
  const firstAbove = smallestCountReaching(n, q, tail);
  const lowerCount = binomialCdfAt(firstAbove, n, q) <= tail ? firstAbove : firstAbove - 1;
  const lower = lowerCount >= 0 ? lowerCount + 1 : null;
  // Upper: the smallest u with P(B ≤ u − 1) ≥ 1 − α/2; none when that needs u > n.
  const upper = smallestCountReaching(n, q, 1 - tail) + 1;
  return {
    lower: lower !== null && lower <= n ? lower : null,
    upper: upper <= n ? upper : null,
    needsMore: upper <= n ? 0 : Math.max(1, needed - n),
  };
}

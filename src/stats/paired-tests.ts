import { usageError } from '../core/errors.js';
import { seededRandom } from '../core/random.js';
import { quantile } from './bootstrap.js';
import type { Interval } from './proportion-intervals.js';

/**
 * Tests for two systems scored on the same cases, for any metric. `metric(useB)` computes the metric when case i
 * takes system B's output where `useB[i]` is true and system A's otherwise; the observed difference is
 * metric(all B) − metric(all A).
 */
export type PairedMetric = (useB: Uint8Array) => number;

export interface PairedResult {
  difference: number;
  pValue: number;
  /** How the p-value was obtained: every one of the 2ⁿ swaps, or random ones. */
  method: 'exact' | 'monte-carlo';
  resamples: number;
}

/**
 * Paired permutation (randomization) test, two-sided: under the null hypothesis the two systems are exchangeable
 * on each case, so each case's outputs are swapped at random and the difference recomputed. With 2ⁿ no larger than
 * `resamples` every assignment is enumerated and p = (assignments at least as extreme) / 2ⁿ, as scipy's
 * `permutation_test(permutation_type='samples')` does; otherwise p = (extreme + 1) / (resamples + 1).
 */
export function pairedPermutationTest(
  n: number,
  metric: PairedMetric,
  options: { resamples: number; seed: number },
): PairedResult {
  if (n === 0)
    throw usageError('SAMPLE_TOO_SMALL', 'a paired test needs at least one case', 'score both systems on some cases');
  const allA = new Uint8Array(n);
  const allB = new Uint8Array(n).fill(1);
  const observed = metric(allB) - metric(allA);
  // Relative tolerance for "at least as extreme", so that ties from floating-point noise count as ties.
  const threshold = Math.abs(observed) * (1 - 1e-12);
  const swapped = new Uint8Array(n);
  const differenceOf = (): number => {
    const flipped = swapped.map((s) => 1 - s);
    return metric(flipped) - metric(swapped);
  };
  if (n < 31 && 2 ** n <= options.resamples) {
    let extreme = 0;
    const total = 2 ** n;
    for (let mask = 0; mask < total; mask += 1) {
      for (let i = 0; i < n; i += 1) swapped[i] = (mask >>> i) & 1;
      if (Math.abs(differenceOf()) >= threshold) extreme += 1;
    }
    return { difference: observed, pValue: extreme / total, method: 'exact', resamples: total };
  }
  const random = seededRandom(options.seed);
  let extreme = 0;
  for (let r = 0; r < options.resamples; r += 1) {
    for (let i = 0; i < n; i += 1) swapped[i] = random() < 0.5 ? 1 : 0;
    if (Math.abs(differenceOf()) >= threshold) extreme += 1;
  }
  return {
    difference: observed,
    pValue: (extreme + 1) / (options.resamples + 1),
    method: 'monte-carlo',
    resamples: options.resamples,
  };
}

/**
 * Paired bootstrap of the difference B − A: cases are resampled with replacement (the same cases for both systems)
 * and the difference recomputed. Gives a percentile interval and a two-sided p-value, twice the smaller share of
 * resampled differences on either side of zero (capped at 1).
 */
export function pairedBootstrap(
  n: number,
  metricOn: (indices: Uint32Array, system: 'A' | 'B') => number,
  options: { resamples: number; seed: number; confidence: number },
): { difference: number; interval: Interval | null; pValue: number } {
  if (n === 0)
    throw usageError('SAMPLE_TOO_SMALL', 'a paired test needs at least one case', 'score both systems on some cases');
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  const difference = metricOn(all, 'B') - metricOn(all, 'A');
  const random = seededRandom(options.seed);
  const indices = new Uint32Array(n);
  const deltas: number[] = [];
  for (let r = 0; r < options.resamples; r += 1) {
    for (let i = 0; i < n; i += 1) indices[i] = Math.floor(random() * n);
    const delta = metricOn(indices, 'B') - metricOn(indices, 'A');
    if (Number.isFinite(delta)) deltas.push(delta);
  }
  if (deltas.length < 2) return { difference, interval: null, pValue: Number.NaN };
  deltas.sort((a, b) => a - b);
  const alpha = 1 - options.confidence;
  const below = deltas.filter((d) => d <= 0).length / deltas.length;
  const above = deltas.filter((d) => d >= 0).length / deltas.length;
  return {
    difference,
    interval: { low: quantile(deltas, alpha / 2), high: quantile(deltas, 1 - alpha / 2) },
    pValue: Math.min(1, 2 * Math.min(below, above)),
  };
}

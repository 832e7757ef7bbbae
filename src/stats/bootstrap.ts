import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { seededRandom } from '../core/random.js';
import { multinomial } from './multinomial.js';
import type { Interval } from './proportion-intervals.js';

export interface BootstrapOptions {
  resamples: number;
  confidence: number;
  seed: number;
}

/**
 * Percentile bootstrap interval of a statistic over n rows: `statistic(indices)` is evaluated on `resamples`
 * samples of n row indices drawn with replacement (seeded, so the interval is reproducible); the interval is the
 * (α/2, 1 − α/2) quantiles of the finite results (linear interpolation, as numpy's default percentile).
 * Null when fewer than two resamples give a finite value.
 */
export function bootstrapPercentile(
  n: number,
  statistic: (indices: Uint32Array) => number,
  options: BootstrapOptions,
): Interval | null {
  return bootstrapPercentiles(n, (indices) => [statistic(indices)], options)[0] ?? null;
}

/** The finite values of each statistic over `resamples` seeded resamples of n row indices. */
function replicates(n: number, statistics: (indices: Uint32Array) => number[], options: BootstrapOptions): number[][] {
  const random = seededRandom(options.seed);
  const indices = new Uint32Array(n);
  const values: number[][] = [];
  for (let r = 0; r < options.resamples; r += 1) {
    for (let i = 0; i < n; i += 1) indices[i] = Math.floor(random() * n);
    statistics(indices).forEach((value, k) => {
      values[k] ??= [];
      if (Number.isFinite(value)) values[k].push(value);
    });
  }
  return values;
}

function percentileOf(list: number[], confidence: number): Interval | null {
  if (list.length < 2) return null;
  list.sort((a, b) => a - b);
  const alpha = 1 - confidence;
  return { low: quantile(list, alpha / 2), high: quantile(list, 1 - alpha / 2) };
}

/** The same for several statistics computed together on each resample (one interval per statistic, in order). */
export function bootstrapPercentiles(
  n: number,
  statistics: (indices: Uint32Array) => number[],
  options: BootstrapOptions,
): (Interval | null)[] {
  if (n === 0 || options.resamples < 2) return [];
  return replicates(n, statistics, options).map((list) => percentileOf(list, options.confidence));
}

/**
 * The percentile bootstrap of statistics that depend on the rows only through a table of counts (a confusion
 * matrix): resampling n rows with replacement puts Multinomial(n, counts / n) rows in the cells, so each resample
 * is drawn as that multinomial directly, exactly the distribution row resampling gives, at a cost independent of n.
 * One interval per statistic, in order.
 */
export function bootstrapCountsPercentiles(
  counts: Float64Array,
  statistics: (resampled: Float64Array) => number[],
  options: BootstrapOptions,
): (Interval | null)[] {
  let n = 0;
  for (const c of counts) n += c;
  if (n === 0 || options.resamples < 2) return [];
  const random = seededRandom(options.seed);
  const values: number[][] = [];
  for (let r = 0; r < options.resamples; r += 1) {
    statistics(multinomial(random, n, counts)).forEach((value, k) => {
      values[k] ??= [];
      if (Number.isFinite(value)) values[k].push(value);
    });
  }
  return values.map((list) => percentileOf(list, options.confidence));
}

/**
 * The percentile interval together with the bootstrap standard error (the standard deviation of the resampled
 * statistic, n − 1 in the denominator); both null when fewer than two resamples give a finite value.
 */
export function bootstrapWithError(
  n: number,
  statistic: (indices: Uint32Array) => number,
  options: BootstrapOptions,
): { interval: Interval | null; se: number | null } {
  if (n === 0 || options.resamples < 2) return { interval: null, se: null };
  const list = replicates(n, (indices) => [statistic(indices)], options)[0] ?? [];
  if (list.length < 2) return { interval: null, se: null };
  const mean = list.reduce((a, b) => a + b, 0) / list.length;
  const se = Math.sqrt(list.reduce((a, v) => a + (v - mean) ** 2, 0) / (list.length - 1));
  return { interval: percentileOf(list, options.confidence), se };
}

/** The q-quantile of sorted values with linear interpolation between closest ranks. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const low = sorted[below] as number;
  return low + ((sorted[above] as number) - low) * (position - below);
}

/**
 * Bias-corrected and accelerated (BCa) bootstrap interval (Efron 1987, as scipy's `bootstrap(method='BCa')`): the
 * percentile interval's quantiles shifted by the bootstrap distribution's median bias z₀ and the jackknife
 * acceleration a. Better coverage than the percentile interval for skewed statistics; needs n jackknife
 * evaluations on top of the resamples. Null when the resamples or the jackknife cannot define it.
 */
export function bootstrapBca(
  n: number,
  statistic: (indices: Uint32Array) => number,
  options: BootstrapOptions,
): Interval | null {
  if (n < 2 || options.resamples < 2) return null;
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  const estimate = statistic(all);
  const random = seededRandom(options.seed);
  const indices = new Uint32Array(n);
  const values: number[] = [];
  for (let r = 0; r < options.resamples; r += 1) {
    for (let i = 0; i < n; i += 1) indices[i] = Math.floor(random() * n);
    const value = statistic(indices);
    if (Number.isFinite(value)) values.push(value);
  }
  if (values.length < 2) return null;
  values.sort((a, b) => a - b);
  const below = values.filter((v) => v < estimate).length / values.length;
  const z0 = normalQuantile(below, 0, 1);
  const leaveOneOut = new Uint32Array(n - 1);
  const jackknife: number[] = [];
  for (let skip = 0; skip < n; skip += 1) {
    for (let i = 0, j = 0; i < n; i += 1) if (i !== skip) leaveOneOut[j++] = i;
    jackknife.push(statistic(leaveOneOut));
  }
  const mean = jackknife.reduce((a, b) => a + b, 0) / n;
  const squares = jackknife.reduce((s, v) => s + (mean - v) ** 2, 0);
  const cubes = jackknife.reduce((s, v) => s + (mean - v) ** 3, 0);
  const acceleration = squares === 0 ? 0 : cubes / (6 * squares ** 1.5);
  const alpha = 1 - options.confidence;
  const adjusted = (z: number): number => normalCdf(z0 + (z0 + z) / (1 - acceleration * (z0 + z)), 0, 1);
  const low = adjusted(normalQuantile(alpha / 2, 0, 1));
  const high = adjusted(normalQuantile(1 - alpha / 2, 0, 1));
  if (!Number.isFinite(low) || !Number.isFinite(high)) return null;
  return { low: quantile(values, low), high: quantile(values, high) };
}

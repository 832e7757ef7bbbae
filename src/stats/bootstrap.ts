import { seededRandom } from '../core/random.js';
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
export function bootstrapPercentile(n: number, statistic: (indices: Uint32Array) => number, options: BootstrapOptions): Interval | null {
  return bootstrapPercentiles(n, (indices) => [statistic(indices)], options)[0] ?? null;
}

/** The same for several statistics computed together on each resample (one interval per statistic, in order). */
export function bootstrapPercentiles(n: number, statistics: (indices: Uint32Array) => number[], options: BootstrapOptions): (Interval | null)[] {
  if (n === 0 || options.resamples < 2) return [];
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
  const alpha = 1 - options.confidence;
  return values.map((list) => {
    if (list.length < 2) return null;
    list.sort((a, b) => a - b);
    return { low: quantile(list, alpha / 2), high: quantile(list, 1 - alpha / 2) };
  });
}

/** The q-quantile of sorted values with linear interpolation between closest ranks. */
export function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const low = sorted[below] as number;
  return low + ((sorted[above] as number) - low) * (position - below);
}

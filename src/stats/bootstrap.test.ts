import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { readReference } from '../../test/helpers/reference.js';
import { bootstrapBca, bootstrapPercentile, quantile } from './bootstrap.js';
import { wilsonInterval } from './proportion-intervals.js';

describe('bootstrapPercentile', () => {
  const outcomes = Array.from({ length: 400 }, (_, i) => (i % 5 === 0 ? 0 : 1)); // 80% successes
  const meanOf = (indices: Uint32Array): number =>
    indices.reduce((s, i) => s + (outcomes[i] as number), 0) / indices.length;

  it('is reproducible for a seed and brackets the estimate', () => {
    const a = bootstrapPercentile(outcomes.length, meanOf, { resamples: 2000, confidence: 0.95, seed: 7 });
    const b = bootstrapPercentile(outcomes.length, meanOf, { resamples: 2000, confidence: 0.95, seed: 7 });
    expect(a).toEqual(b);
    expect(a?.low).toBeLessThan(0.8);
    expect(a?.high).toBeGreaterThan(0.8);
  });

  it('agrees with the Wilson interval for a proportion to within sampling error', () => {
    const boot = bootstrapPercentile(outcomes.length, meanOf, { resamples: 4000, confidence: 0.95, seed: 3 });
    const wilson = wilsonInterval(320, 400);
    expect(Math.abs((boot?.low ?? 0) - wilson.low)).toBeLessThan(0.01);
    expect(Math.abs((boot?.high ?? 0) - wilson.high)).toBeLessThan(0.01);
  });

  it('covers the true mean about as often as promised', () => {
    const random = seededRandom(11);
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t += 1) {
      const sample = Array.from({ length: 60 }, () => (random() < 0.3 ? 1 : 0));
      const ci = bootstrapPercentile(
        sample.length,
        (idx) => idx.reduce((s, i) => s + (sample[i] as number), 0) / idx.length,
        { resamples: 500, confidence: 0.9, seed: t },
      );
      if (ci !== null && ci.low <= 0.3 && 0.3 <= ci.high) covered += 1;
    }
    expect(covered / trials).toBeGreaterThan(0.8);
    expect(covered / trials).toBeLessThan(0.97);
  });

  it('interpolates quantiles as numpy does', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([5], 0.9)).toBe(5);
  });
});

describe('BCa bootstrap', () => {
  const reference = readReference<{ cases: { data: number[]; bca: [number, number]; percentile: [number, number] }[] }>(
    'bootstrap.json',
  );

  // Both sides are Monte Carlo estimates with different generators (50,000 resamples each), so
  // they agree to within resampling error, not to the last digit: 2.5% of the interval's width, against a
  // gap between the BCa and percentile bounds of 2–5% of the width on these data (the sign check below guards the rest).
  it.each(reference.cases.map((c, i) => [i, c] as const))(
    "matches scipy's BCa interval for the mean of skewed data, case %i",
    (_i, c) => {
      const mean = (indices: Uint32Array): number =>
        indices.reduce((s, i) => s + (c.data[i] as number), 0) / indices.length;
      const bca = bootstrapBca(c.data.length, mean, { resamples: 50_000, confidence: 0.95, seed: 1 });
      const width = c.bca[1] - c.bca[0];
      expect(Math.abs((bca?.low ?? 0) - c.bca[0])).toBeLessThan(0.025 * width);
      expect(Math.abs((bca?.high ?? 0) - c.bca[1])).toBeLessThan(0.025 * width);
      // For right-skewed data BCa shifts the interval up relative to the percentile interval, as scipy's does.
      const percentile = bootstrapPercentile(c.data.length, mean, { resamples: 50_000, confidence: 0.95, seed: 1 });
      expect(Math.sign((bca?.high ?? 0) - (percentile?.high ?? 0))).toBe(Math.sign(c.bca[1] - c.percentile[1]));
    },
  );
});

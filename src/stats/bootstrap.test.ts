import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { bootstrapPercentile, quantile } from './bootstrap.js';
import { wilsonInterval } from './proportion-intervals.js';

describe('bootstrapPercentile', () => {
  const outcomes = Array.from({ length: 400 }, (_, i) => (i % 5 === 0 ? 0 : 1)); // 80% successes
  const meanOf = (indices: Uint32Array): number => indices.reduce((s, i) => s + (outcomes[i] as number), 0) / indices.length;

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
      const ci = bootstrapPercentile(sample.length, (idx) => idx.reduce((s, i) => s + (sample[i] as number), 0) / idx.length, { resamples: 500, confidence: 0.9, seed: t });
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

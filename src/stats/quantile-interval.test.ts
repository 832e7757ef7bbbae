import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { binomialCdfAt } from './distributions.js';
import { quantileRanks, samplesForUpperBound } from './quantile-interval.js';

describe('order-statistic bounds of a quantile', () => {
  it('take the extreme ranks the binomial allows on each side (α/2 each)', () => {
    for (const [n, q] of [
      [10, 0.5],
      [100, 0.9],
      [1000, 0.99],
      [5000, 0.999],
      [123_457, 0.95],
    ] as const) {
      const { lower, upper } = quantileRanks(n, q, 0.95);
      expect(lower).not.toBeNull();
      expect(upper).not.toBeNull();
      if (lower === null || upper === null) continue;
      // Lower: P(B ≤ l − 1) ≤ 2.5% < P(B ≤ l).
      expect(binomialCdfAt(lower - 1, n, q)).toBeLessThanOrEqual(0.025);
      expect(binomialCdfAt(lower, n, q)).toBeGreaterThan(0.025);
      // Upper: P(B ≤ u − 1) ≥ 97.5% > P(B ≤ u − 2).
      expect(binomialCdfAt(upper - 1, n, q)).toBeGreaterThanOrEqual(0.975);
      expect(binomialCdfAt(upper - 2, n, q)).toBeLessThan(0.975);
    }
  });

  it('say how many more samples an upper bound needs: p99 at 95% needs 368, p50 needs 6', () => {
    expect(samplesForUpperBound(0.99, 0.95)).toBe(368);
    expect(samplesForUpperBound(0.5, 0.95)).toBe(6);
    expect(quantileRanks(300, 0.99, 0.95)).toMatchObject({ upper: null, needsMore: 68 });
    expect(quantileRanks(368, 0.99, 0.95).upper).toBe(368);
    expect(quantileRanks(367, 0.99, 0.95)).toMatchObject({ upper: null, needsMore: 1 });
    expect(quantileRanks(0, 0.5, 0.95)).toEqual({ lower: null, upper: null, needsMore: 6 });
  });

  it('cover the true quantile at least as often as promised (exponential samples, 2,000 trials)', () => {
    const random = seededRandom(21);
    const q = 0.9;
    const truth = -Math.log(1 - q);
    const n = 200;
    const { lower, upper } = quantileRanks(n, q, 0.95);
    let covered = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t += 1) {
      const sample = Float64Array.from({ length: n }, () => -Math.log(1 - random())).sort();
      if ((sample[(lower ?? 1) - 1] as number) <= truth && truth <= (sample[(upper ?? n) - 1] as number)) covered += 1;
    }
    // At least 95% by construction (discreteness makes it a little more); 2,000 trials put 93.6% at −3 SE.
    expect(covered / trials).toBeGreaterThan(0.936);
  });
});

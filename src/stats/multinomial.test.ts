import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { binomial, multinomial } from './multinomial.js';

function moments(draws: number[]): { mean: number; variance: number } {
  const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
  return { mean, variance: draws.reduce((a, v) => a + (v - mean) ** 2, 0) / (draws.length - 1) };
}

describe('binomial draws', () => {
  it('have the binomial mean and variance, from a few trials to millions', () => {
    const random = seededRandom(7);
    for (const [n, p] of [
      [10, 0.3],
      [1000, 0.5],
      [1_000_000, 0.01],
      [10_000_000, 0.8],
    ] as const) {
      const draws = Array.from({ length: 20_000 }, () => binomial(random, n, p));
      const { mean, variance } = moments(draws);
      const sd = Math.sqrt(n * p * (1 - p));
      // The sample mean is within 5 standard errors; the variance within 5% (20,000 draws: its error is about 1%).
      expect(Math.abs(mean - n * p)).toBeLessThan((5 * sd) / Math.sqrt(draws.length));
      expect(variance / (sd * sd)).toBeGreaterThan(0.95);
      expect(variance / (sd * sd)).toBeLessThan(1.05);
      expect(draws.every((d) => Number.isInteger(d) && d >= 0 && d <= n)).toBe(true);
    }
  });
  it.each([
    [60, 0.3, 'inversion'],
    [200, 0.4, 'halving'],
  ])('follow the exact probabilities of Binomial(%i, %f) (chi-square test; %s)', (n: number, p: number) => {
    const random = seededRandom(11);
    const draws = 200_000;
    const counts = new Float64Array(n + 1);
    for (let i = 0; i < draws; i += 1) {
      const k = binomial(random, n, p);
      counts[k] = (counts[k] as number) + 1;
    }
    let logChoose = 0;
    let chi2 = 0;
    let cells = 0;
    for (let k = 0; k <= n; k += 1) {
      if (k > 0) logChoose += Math.log((n - k + 1) / k);
      const expected = draws * Math.exp(logChoose + k * Math.log(p) + (n - k) * Math.log(1 - p));
      if (expected < 5) continue;
      chi2 += ((counts[k] as number) - expected) ** 2 / expected;
      cells += 1;
    }
    // The 99.9th percentile of chi-square with d degrees of freedom is below d + 4.3·√(2d) + 10 for these d.
    expect(cells).toBeGreaterThan(20);
    expect(chi2).toBeLessThan(cells + 4.3 * Math.sqrt(2 * cells) + 10);
  });
  it('handle the edges: no trials, p 0 and p 1', () => {
    const random = seededRandom(1);
    expect([binomial(random, 0, 0.5), binomial(random, 50, 0), binomial(random, 50, 1)]).toEqual([0, 0, 50]);
  });
});

describe('multinomial draws', () => {
  it('always total n, leave empty cells empty, and have each cell’s binomial mean', () => {
    const random = seededRandom(3);
    const weights = [500, 0, 300, 200];
    const sums = [0, 0, 0, 0];
    for (let r = 0; r < 5000; r += 1) {
      const draw = multinomial(random, 1000, weights);
      expect(draw.reduce((a, b) => a + b, 0)).toBe(1000);
      expect(draw[1]).toBe(0);
      draw.forEach((v, i) => (sums[i] = (sums[i] as number) + v));
    }
    expect(sums.map((s) => s / 5000)).toEqual([
      expect.closeTo(500, 0),
      0,
      expect.closeTo(300, 0),
      expect.closeTo(200, 0),
    ]);
  });
});

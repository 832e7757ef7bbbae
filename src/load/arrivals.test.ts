import { describe, expect, it } from 'vitest';
import { arrivals, rampMeanRatePerS, rampTimeNs } from './arrivals.js';

function take(gen: Generator<[number, number]>, n: number): [number, number][] {
  const out: [number, number][] = [];
  for (const item of gen) {
    out.push(item);
    if (out.length === n) break;
  }
  return out;
}

describe('arrivals', () => {
  it('spaces constant arrivals exactly', () => {
    const times = take(arrivals({ kind: 'constant' }, 4, 1, 1000, 0, 1), 5).map(([, at]) => at);
    expect(times).toEqual([1000, 1000 + 250e6, 1000 + 500e6, 1000 + 750e6, 1000 + 1000e6]);
  });

  it('draws Poisson gaps with the requested mean, reproducibly', () => {
    const a = take(arrivals({ kind: 'poisson' }, 100, 7, 0, 0, 1), 20_000);
    const b = take(arrivals({ kind: 'poisson' }, 100, 7, 0, 0, 1), 20_000);
    expect(a).toEqual(b);
    const last = a[a.length - 1]?.[1] ?? 0;
    const meanGapMs = last / (a.length - 1) / 1e6;
    expect(meanGapMs).toBeGreaterThan(9.7);
    expect(meanGapMs).toBeLessThan(10.3);
    const gaps = a.slice(1).map(([, at], i) => at - (a[i]?.[1] ?? 0));
    const cv = Math.sqrt(gaps.reduce((s, g) => s + (g - meanGapMs * 1e6) ** 2, 0) / gaps.length) / (meanGapMs * 1e6);
    expect(cv).toBeGreaterThan(0.95); // exponential gaps have a coefficient of variation of 1
    expect(cv).toBeLessThan(1.05);
  });

  it('splits one schedule across shards without gaps or overlaps', () => {
    const whole = take(arrivals({ kind: 'poisson' }, 50, 3, 0, 0, 1), 30);
    const shards = [0, 1, 2].flatMap((i) => take(arrivals({ kind: 'poisson' }, 50, 3, 0, i, 3), 10));
    shards.sort((x, y) => x[0] - y[0]);
    expect(shards).toEqual(whole);
  });

  it('draws gamma gaps with the mean of the rate and a coefficient of variation of 1/√burstiness', () => {
    for (const burstiness of [0.25, 1, 4]) {
      const a = take(arrivals({ kind: 'gamma', burstiness }, 100, 5, 0, 0, 1), 40_000);
      const gaps = a.slice(1).map(([, at], i) => at - (a[i]?.[1] ?? 0));
      const mean = gaps.reduce((x, y) => x + y, 0) / gaps.length;
      const cv = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length) / mean;
      expect(mean / 1e6).toBeGreaterThan(9.7);
      expect(mean / 1e6).toBeLessThan(10.3);
      expect(cv).toBeGreaterThan((1 / Math.sqrt(burstiness)) * 0.95);
      expect(cv).toBeLessThan((1 / Math.sqrt(burstiness)) * 1.05);
    }
  });

  it('ramps through stages: as many arrivals by each moment as the area under the rate, and none after the last', () => {
    // 0 → 100/s over 2 s (100 arrivals), 100/s for 1 s (100), 100 → 0/s over 2 s (100): 300 in 5 s.
    const stages = [
      { durationMs: 2000, targetPerS: 100 },
      { durationMs: 1000, targetPerS: 100 },
      { durationMs: 2000, targetPerS: 0 },
    ];
    expect(rampMeanRatePerS(0, stages)).toBeCloseTo(60, 9);
    expect(rampTimeNs(0, stages, 25)).toBeCloseTo(1e9, 0); // 25 = 100 × 1² / (2 × 2): one second in
    // 200 by 3 s; then 100·s − 25·s² = 50 on the way down: s = 2 − √2.
    expect(rampTimeNs(0, stages, 250)).toBeCloseTo((3 + 2 - Math.SQRT2) * 1e9, 0);
    expect(rampTimeNs(0, stages, 301)).toBeNull();
    const even = take(arrivals({ kind: 'stages', startPerS: 0, stages, poisson: false }, 60, 1, 0, 0, 1), 1000);
    expect(even).toHaveLength(300);
    const byTime = (list: [number, number][], s: number): number => list.filter(([, at]) => at <= s * 1e9).length;
    expect([byTime(even, 1), byTime(even, 2), byTime(even, 3), byTime(even, 5)]).toEqual([25, 100, 200, 300]);
    const poisson = take(arrivals({ kind: 'stages', startPerS: 0, stages, poisson: true }, 60, 2, 0, 0, 1), 1000);
    // Poisson with mean 300: within 4 standard deviations (±69).
    expect(Math.abs(poisson.length - 300)).toBeLessThan(70);
    expect(poisson.every(([, at]) => at <= 5e9)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { arrivals } from './arrivals.js';

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
    const times = take(arrivals('constant', 4, 1, 1000, 0, 1), 5).map(([, at]) => at);
    expect(times).toEqual([1000, 1000 + 250e6, 1000 + 500e6, 1000 + 750e6, 1000 + 1000e6]);
  });

  it('draws Poisson gaps with the requested mean, reproducibly', () => {
    const a = take(arrivals('poisson', 100, 7, 0, 0, 1), 20_000);
    const b = take(arrivals('poisson', 100, 7, 0, 0, 1), 20_000);
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
    const whole = take(arrivals('poisson', 50, 3, 0, 0, 1), 30);
    const shards = [0, 1, 2].flatMap((i) => take(arrivals('poisson', 50, 3, 0, i, 3), 10));
    shards.sort((x, y) => x[0] - y[0]);
    expect(shards).toEqual(whole);
  });
});

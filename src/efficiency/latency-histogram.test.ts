import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram.js';

function exactPercentile(sorted: number[], percentile: number): number {
  // Smallest value with at least `percentile`% of values at or below it, the HDR definition.
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

function seededValuesNs(count: number, seed: number): number[] {
  let state = seed;
  const values: number[] = [];
  for (let i = 0; i < count; i += 1) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    values.push(Math.round((state / 2_147_483_648) ** 3 * 5e9)); // skewed, up to 5 s
  }
  return values;
}

describe('LatencyHistogram', () => {
  it('reports percentiles within 0.1% and exact moments', () => {
    const values = seededValuesNs(20_000, 7);
    const histogram = new LatencyHistogram();
    for (const value of values) histogram.recordNs(value);
    const stats = histogram.statsMs();
    expect(stats).not.toBeNull();
    const sortedMs = values.map((v) => Math.round(v / 1000) / 1000).sort((a, b) => a - b);
    for (const [key, p] of [
      ['p50', 50],
      ['p90', 90],
      ['p99', 99],
      ['p999', 99.9],
    ] as const) {
      const expected = exactPercentile(sortedMs, p);
      expect(Math.abs((stats?.[key] ?? 0) - expected)).toBeLessThanOrEqual(expected * 0.001 + 0.001);
    }
    const meanMs = values.reduce((a, b) => a + b, 0) / values.length / 1e6;
    expect(stats?.mean).toBeCloseTo(meanMs, 6);
    expect(stats?.min).toBeCloseTo(Math.min(...values) / 1e6, 9);
    expect(stats?.max).toBeCloseTo(Math.max(...values) / 1e6, 9);
  });

  it('merges serialized histograms without loss', () => {
    const values = seededValuesNs(10_000, 3);
    const whole = new LatencyHistogram();
    const left = new LatencyHistogram();
    const right = new LatencyHistogram();
    values.forEach((value, i) => {
      whole.recordNs(value);
      (i % 3 === 0 ? left : right).recordNs(value);
    });
    const merged = new LatencyHistogram();
    merged.merge(left.serialize());
    merged.merge(right.serialize());
    const a = whole.statsMs();
    const b = merged.statsMs();
    expect(b?.count).toBe(a?.count);
    expect(b?.p50).toBe(a?.p50);
    expect(b?.p99).toBe(a?.p99);
    expect(b?.p999).toBe(a?.p999);
    expect(b?.mean).toBeCloseTo(a?.mean ?? 0, 9);
    expect(b?.stddev).toBeCloseTo(a?.stddev ?? 0, 6);
  });

  it('is empty until something is recorded', () => {
    const histogram = new LatencyHistogram();
    expect(histogram.statsMs()).toBeNull();
    expect(histogram.serialize().encoded).toBeNull();
  });
});

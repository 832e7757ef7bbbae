import { describe, expect, it } from 'vitest';
import type { LatencyMetric } from '../core/types.js';
import { quantileRanks } from '../stats/quantile-interval.js';
import { LatencyHistogram } from './latency-histogram.js';
import { DEFAULT_VALIDITY_RULES, judgeValidity, latencyBounds } from './validity.js';

/** Histograms with `n` ttft and e2e samples of 1, 2, …, n ms (every other metric empty). */
function histograms(n: number): (metric: LatencyMetric) => LatencyHistogram {
  const filled = new LatencyHistogram();
  for (let i = 1; i <= n; i += 1) filled.recordNs(i * 1e6);
  const empty = new LatencyHistogram();
  return (metric) => (metric === 'ttft' || metric === 'e2e' ? filled : empty);
}

describe('validity of a run', () => {
  it('bounds each percentile by the order statistics of its ranks (within the histogram’s 0.1%)', () => {
    const bounds = latencyBounds(histograms(1000), 0.95);
    for (const [name, q] of [
      ['p50', 0.5],
      ['p90', 0.9],
      ['p99', 0.99],
    ] as const) {
      const ranks = quantileRanks(1000, q, 0.95);
      // The value of rank r is r ms, which the histogram holds to 0.1%.
      const low = ranks.lower ?? Number.NaN;
      const high = ranks.upper ?? Number.NaN;
      expect(Math.abs((bounds.ttft?.[name]?.lowMs ?? Number.NaN) - low)).toBeLessThanOrEqual(low * 0.001);
      expect(Math.abs((bounds.ttft?.[name]?.highMs ?? Number.NaN) - high)).toBeLessThanOrEqual(high * 0.001);
    }
    expect(bounds.itl).toBeUndefined();
  });

  it('is valid with time and samples enough, and says what is missing otherwise', () => {
    expect(judgeValidity(120, latencyBounds(histograms(1000), 0.95), DEFAULT_VALIDITY_RULES)).toMatchObject({
      verdict: 'valid',
      reasons: [],
    });
    const short = judgeValidity(12.5, latencyBounds(histograms(300), 0.95), DEFAULT_VALIDITY_RULES);
    expect(short.verdict).toBe('insufficient');
    expect(short.reasons).toEqual([
      'measured 12.5 s, less than the 60 s minimum (--min-duration)',
      'p99 needs ≥ 68 more completed requests for its 95% upper bound (ttft, e2e)',
    ]);
    expect(short.bounds.ttft?.p99?.highMs).toBeNull();
    expect(judgeValidity(120, {}, DEFAULT_VALIDITY_RULES).reasons).toEqual(['no request completed']);
  });
});

import { describe, expect, it } from 'vitest';
import { parseThreshold, thresholdValue } from './thresholds.js';

describe('threshold expressions', () => {
  it.each([
    ['p95(ttft) < 500ms', { kind: 'latency', stat: 'p95', metric: 'ttft', op: '<', limit: 500 }],
    ['p95(e2e) < 50ms', { kind: 'latency', stat: 'p95', metric: 'e2e', op: '<', limit: 50 }],
    [
      'mean(e2eFromIntended) <= 2s',
      { kind: 'latency', stat: 'mean', metric: 'e2eFromIntended', op: '<=', limit: 2000 },
    ],
    ['error_rate < 1%', { kind: 'rate', metric: 'error_rate', op: '<', limit: 0.01 }],
    ['goodput > 10/s', { kind: 'rate', metric: 'goodput', op: '>', limit: 10 }],
  ])('reads %s', (expr, expected) => {
    const parsed = parseThreshold(expr);
    expect(parsed.ok && parsed.value).toMatchObject(expected);
  });

  it.each([
    ['p95(e3e) < 5ms', "unknown metric 'e3e'"],
    ['p42(ttft) < 5ms', "unknown statistic 'p42'"],
    ['p95(ttft) < 5', 'needs a time unit'],
    ['latency is low', 'cannot read'],
  ])('says what is wrong with %s', (expr, message) => {
    const parsed = parseThreshold(expr);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});

describe('bounded thresholds', () => {
  it('read a percentile bound, refuse bounds of what is not a percentile, and fail when the bound is not there', () => {
    const parse = parseThreshold;
    const value = thresholdValue;
    const upper = parse('upper(p99(ttft)) < 800ms');
    expect(upper).toMatchObject({ ok: true, value: { bound: 'upper', stat: 'p99', metric: 'ttft', limit: 800 } });
    expect(parse('lower( p50(e2e) ) >= 1s')).toMatchObject({ ok: true, value: { bound: 'lower', limit: 1000 } });
    expect(parse('upper(mean(ttft)) < 1s')).toMatchObject({ ok: false });
    expect(parse('upper(p99(ttft)) < 800')).toMatchObject({ ok: false });
    if (!upper.ok) return;
    const view = {
      latencyMs: { ttft: { p99: 700 } },
      throughput: { requestsPerS: 1, outputTokensPerS: 1, goodputPerS: null },
      achievedPerS: null,
      errorRate: null,
    };
    expect(
      value(upper.value, { ...view, latencyBounds: { ttft: { p99: { lowMs: 650, highMs: 900, needsMore: 0 } } } }),
    ).toBe(900);
    expect(
      value(upper.value, { ...view, latencyBounds: { ttft: { p99: { lowMs: 650, highMs: null, needsMore: 12 } } } }),
    ).toBeNull();
    expect(value(upper.value, view)).toBeNull();
  });
});

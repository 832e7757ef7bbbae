import { describe, expect, it } from 'vitest';
import { durationLimitMs, evaluateWith, numberLimit, STATISTICS, thresholdParts } from './threshold-grammar.js';

describe('the threshold grammar', () => {
  it.each([
    ['error_rate < 1%', { fn: null, name: 'error_rate', op: '<', limitText: '1%' }],
    ['  p95(ttft)<=500ms ', { fn: 'p95', name: 'ttft', op: '<=', limitText: '500ms', expr: 'p95(ttft)<=500ms' }],
    ['lower( f1_macro ) > 0.8', { fn: 'lower', name: 'f1_macro', op: '>', limitText: '0.8' }],
    ['goodput >= 10/s', { fn: null, name: 'goodput', op: '>=', limitText: '10/s' }],
  ])('takes %s apart', (expr, parts) => {
    expect(thresholdParts(expr, 'hint')).toMatchObject({ ok: true, value: parts });
  });

  it('refuses what it cannot read, with the hint it is given', () => {
    expect(thresholdParts('latency is low', 'write e.g. x < 1')).toEqual({
      ok: false,
      message: "cannot read threshold 'latency is low'",
      hint: 'write e.g. x < 1',
    });
    expect(thresholdParts('accuracy = 1', 'h').ok).toBe(false);
  });

  it('reads limits: shares, rates and plain numbers; durations only with their unit', () => {
    expect([numberLimit('90%'), numberLimit('0.9'), numberLimit('10/s'), numberLimit('-1.5%')]).toEqual([
      0.9, 0.9, 10, -0.015,
    ]);
    expect([numberLimit(''), numberLimit('fast')]).toEqual([null, null]);
    expect([durationLimitMs('500ms'), durationLimitMs('2s'), durationLimitMs('500')]).toEqual([500, 2000, null]);
  });

  it('fails a threshold whose value was not measured or is not finite', () => {
    const rules = [
      { expr: 'a < 1', op: '<' as const, limit: 1 },
      { expr: 'b > 1', op: '>' as const, limit: 1 },
      { expr: 'c > 1', op: '>' as const, limit: 1 },
      { expr: 'd <= 1', op: '<=' as const, limit: 1 },
    ];
    const values = new Map([
      ['a < 1', 0.5],
      ['b > 1', Infinity],
      ['d <= 1', 1],
    ]);
    expect(evaluateWith(rules, (r) => values.get(r.expr) ?? null)).toEqual([
      { expr: 'a < 1', value: 0.5, pass: true },
      { expr: 'b > 1', value: null, pass: false },
      { expr: 'c > 1', value: null, pass: false },
      { expr: 'd <= 1', value: 1, pass: true },
    ]);
  });

  it('names every statistic of a latency distribution once', () => {
    expect(new Set(STATISTICS).size).toBe(STATISTICS.length);
    expect([...STATISTICS].sort()).toEqual(['max', 'mean', 'min', 'p50', 'p90', 'p95', 'p99', 'p999', 'stddev']);
  });
});

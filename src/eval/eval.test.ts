import { describe, expect, it } from 'vitest';
import type { ErrorCategory, Exchange } from '../core/types.js';
import type { EvalCase } from './cases.js';
import { retryDelayMs } from './retry.js';
import { selectCases } from './sampling.js';
import { meanMetric } from './suite-metrics.js';
import { compileTemplate, missingVariables, renderTemplate } from './template.js';
import { evaluateEvalThresholds, parseEvalThreshold } from './thresholds.js';
import { parseRetryAfterMs } from '../targets/http-call.js';

function cases(labels: string[]): EvalCase[] {
  return labels.map((label, index) => ({
    id: String(index),
    index,
    where: `d:${index + 2}`,
    vars: { group: index % 2 === 0 ? 'even' : 'odd' },
    expected: [label],
    tags: [label === 'a' ? 'common' : 'rare'],
    weight: 1,
  }));
}

describe('templates', () => {
  it('fills placeholders and names the missing ones', () => {
    const t = compileTemplate('Q: {{ question }}\nChoices: {{choices}} ({{n}})');
    expect(renderTemplate(t, { question: 'why?', choices: ['x', 'y'], n: 2 })).toBe('Q: why?\nChoices: ["x","y"] (2)');
    expect(missingVariables(t, { question: 'q' })).toEqual(['choices', 'n']);
  });
});

describe('sampling', () => {
  const all = cases([...'a'.repeat(80), ...'b'.repeat(20)]);
  it('draws a seeded sample in dataset order, the same for the same seed', () => {
    const one = selectCases(all, { limit: null, sample: 10, seed: 7, stratify: null });
    expect(one).toHaveLength(10);
    expect(one.map((c) => c.index)).toEqual([...one.map((c) => c.index)].sort((x, y) => x - y));
    expect(selectCases(all, { limit: null, sample: 10, seed: 7, stratify: null })).toEqual(one);
    expect(selectCases(all, { limit: null, sample: 10, seed: 8, stratify: null })).not.toEqual(one);
  });
  it('stratifies proportionally by label, tag or column', () => {
    const byLabel = selectCases(all, { limit: null, sample: 10, seed: 1, stratify: 'label' });
    expect(byLabel.filter((c) => c.expected[0] === 'b')).toHaveLength(2);
    expect(
      selectCases(all, { limit: null, sample: 15, seed: 1, stratify: 'tag' }).filter((c) => c.tags[0] === 'rare'),
    ).toHaveLength(3);
    expect(
      selectCases(all, { limit: null, sample: 9, seed: 1, stratify: 'group' }).filter((c) => c.vars.group === 'even')
        .length,
    ).toBeGreaterThanOrEqual(4);
    expect(() => selectCases(all, { limit: null, sample: 9, seed: 1, stratify: 'nope' })).toThrow(
      /neither 'tag', 'label' nor a column/,
    );
  });
  it('limits after sampling', () => {
    expect(selectCases(all, { limit: 3, sample: null, seed: 1, stratify: null }).map((c) => c.index)).toEqual([
      0, 1, 2,
    ]);
  });
});

describe('retry delays', () => {
  const failed = (category: ErrorCategory, retryAfterMs?: number): Exchange =>
    ({
      status: 'error',
      error: { category, message: '', httpStatus: 429, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
    }) as Exchange;
  const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000, random: () => 0.5 };
  it('honours Retry-After, capped', () => {
    expect(retryDelayMs(failed('http_429', 2000), 1, policy)).toBe(2000);
    expect(retryDelayMs(failed('http_429', 60_000), 1, policy)).toBe(5000);
  });
  it('backs off exponentially with full jitter, capped', () => {
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(failed('http_5xx'), a, policy))).toEqual([50, 100, 200, 400, 500]);
  });
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfterMs('3')).toBe(3000);
    expect(parseRetryAfterMs('Wed, 21 Oct 2026 07:28:10 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(
      10_000,
    );
    expect(parseRetryAfterMs('soon')).toBeNull();
  });
});

describe('eval thresholds', () => {
  const names = ['accuracy', 'pass_rate'];
  it('parses accuracy, interval-bound, latency and cost rules', () => {
    expect(parseEvalThreshold('accuracy >= 90%', names)).toMatchObject({
      ok: true,
      value: { kind: 'metric', metric: 'accuracy', bound: 'value', limit: 0.9 },
    });
    expect(parseEvalThreshold('lower(accuracy) > 0.8', names)).toMatchObject({ ok: true, value: { bound: 'lower' } });
    expect(parseEvalThreshold('p95(latency) < 800ms', names)).toMatchObject({
      ok: true,
      value: { kind: 'latency', metric: 'e2e', stat: 'p95', limit: 800 },
    });
    expect(parseEvalThreshold('cost_per_case < 0.001', names)).toMatchObject({
      ok: true,
      value: { kind: 'efficiency' },
    });
    expect(parseEvalThreshold('f1_macro > 0.8', names)).toMatchObject({
      ok: false,
      message: "unknown metric 'f1_macro' in 'f1_macro > 0.8'",
    });
  });
  it('fails an unmeasured value', () => {
    const parsed = ['accuracy >= 0.5', 'upper(accuracy) < 0.99', 'cost_per_case < 1', 'p95(ttft) < 1s']
      .map((e) => parseEvalThreshold(e, names))
      .map((p) => (p.ok ? p.value : null))
      .filter((t) => t !== null);
    const latencyMs = {
      e2e: null,
      e2eFromIntended: null,
      scheduleLag: null,
      ttft: null,
      ttfo: null,
      tpot: null,
      itl: null,
      chunkGap: null,
      dns: null,
      connect: null,
      tls: null,
      ttfb: null,
      receive: null,
    };
    const results = evaluateEvalThresholds(parsed, {
      metrics: { accuracy: { value: 0.7, ci: [0.6, 0.8] } },
      latencyMs,
      efficiency: {
        error_rate: 0,
        cost_per_case: null,
        cost_total: null,
        cost_per_1k: null,
        cost_per_correct: null,
        unscored_rate: 0,
      },
    });
    expect(results.map((r) => r.pass)).toEqual([true, true, false, false]);
  });
});

describe('suite metrics', () => {
  it('uses Wilson for an unweighted proportion and the bootstrap for weighted or graded means', () => {
    const options = { confidence: 0.95, resamples: 500, seed: 1 };
    const wilson = meanMetric([1, 1, 1, 0], null, options);
    expect(wilson.value).toBe(0.75);
    expect(wilson.ci?.[0]).toBeCloseTo(0.30064, 4);
    expect(wilson.se).toBeCloseTo(Math.sqrt((0.75 * 0.25) / 4), 12);
    const weighted = meanMetric([1, 0], [3, 1], options);
    expect(weighted.value).toBe(0.75);
    expect(weighted.se).toBeNull();
    const graded = meanMetric([0.2, 0.4, 0.9], null, options);
    expect(graded.value).toBeCloseTo(0.5, 12);
    expect(graded.ci?.[0]).toBeGreaterThanOrEqual(0.2);
  });
});

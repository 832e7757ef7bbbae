import { describe, expect, it } from 'vitest';
import {
  addErrorSample,
  ERROR_SAMPLES_PER_CATEGORY,
  mergeErrorSamples,
  shortened,
  type ErrorSample,
} from './error-samples.js';

describe('error samples', () => {
  it('keeps the first message of each shape per category and counts the rest of that shape', () => {
    const samples: ErrorSample[] = [];
    addErrorSample(
      samples,
      'http_4xx',
      'HTTP 400: request (543 tokens) exceeds the available context size (512 tokens)',
    );
    addErrorSample(
      samples,
      'http_4xx',
      'HTTP 400: request (600 tokens) exceeds the available context size (512 tokens)',
    );
    addErrorSample(samples, 'http_4xx', 'HTTP 404: model "tiny" not found');
    addErrorSample(samples, 'connection', 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9');
    expect(samples).toEqual([
      {
        category: 'http_4xx',
        message: 'HTTP 400: request (543 tokens) exceeds the available context size (512 tokens)',
        count: 2,
      },
      { category: 'http_4xx', message: 'HTTP 404: model "tiny" not found', count: 1 },
      { category: 'connection', message: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9', count: 1 },
    ]);
  });

  it('keeps at most a few shapes per category, and merges counts across recorders', () => {
    const a: ErrorSample[] = [];
    for (const word of ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta'])
      addErrorSample(a, 'http_5xx', `HTTP 500: ${word}`);
    expect(a).toHaveLength(ERROR_SAMPLES_PER_CATEGORY);
    const b: ErrorSample[] = [];
    addErrorSample(b, 'http_5xx', 'HTTP 500: alpha', 3);
    addErrorSample(b, 'timeout', 'no complete response within 100 ms');
    mergeErrorSamples(a, b);
    expect(a.find((s) => s.message === 'HTTP 500: alpha')?.count).toBe(4);
    expect(a.find((s) => s.category === 'timeout')).toEqual({
      category: 'timeout',
      message: 'no complete response within 100 ms',
      count: 1,
    });
  });

  it('cuts a long message in the middle, keeping its start and end', () => {
    const long = `start ${'x'.repeat(1000)} the reason`;
    const cut = shortened(long);
    expect(cut.length).toBeLessThanOrEqual(400);
    expect(cut.startsWith('start ')).toBe(true);
    expect(cut.endsWith('the reason')).toBe(true);
    expect(cut).toContain('[…]');
  });
});

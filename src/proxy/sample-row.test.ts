import { describe, expect, it } from 'vitest';
import type { ProxySample } from './proxy-sample.js';
import { sampleRow } from './sample-row.js';

function sample(request: unknown, outcome = 'ok'): ProxySample {
  return {
    at: '2026-12-06T00:00:00.000Z',
    model: 'm',
    endpoint: 'chat',
    outcome,
    request,
    output: 'four',
    ttftMs: 5,
    e2eMs: 9,
    tokensIn: 12,
    tokensOut: 1,
    finishReason: 'stop',
  };
}

describe('sampleRow', () => {
  it('takes the top-level scalar fields, the last user and system messages, and what was measured', () => {
    const row = sampleRow(
      sample({
        model: 'm',
        max_tokens: 16,
        stream: true,
        stop: ['\n'],
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'ok' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'two plus' },
              { type: 'text', text: 'two?' },
            ],
          },
        ],
      }),
    );
    expect(row).toEqual({
      model: 'm',
      max_tokens: 16,
      stream: true,
      prompt: 'two plus\ntwo?',
      system: 'be brief',
      output: 'four',
      input_tokens: 12,
      output_tokens: 1,
      finish_reason: 'stop',
    });
  });

  it('reads a completions prompt, and leaves the output out of failed requests', () => {
    expect(sampleRow(sample({ prompt: ['once upon'] }, 'http_5xx'))).toMatchObject({
      prompt: 'once upon',
      system: null,
      output: null,
    });
    expect(sampleRow(sample('not json at all')).prompt).toBe('not json at all');
  });
});

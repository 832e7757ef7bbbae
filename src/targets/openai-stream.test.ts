import { describe, expect, it } from 'vitest';
import type { TargetRequest } from '../core/types.js';
import { startExchange } from './exchange-builder.js';
import { OpenAiStreamReader } from './openai-stream.js';

const REQUEST: TargetRequest = {
  index: 0,
  promptId: -1,
  prompt: 'p',
  messages: null,
  maxTokens: 16,
  clientTokensIn: 1,
  extraBody: null,
};

/** Feeds one SSE event per millisecond (event i received at (i + 1) ms after the send at 0) and finishes the stream. */
function read(events: readonly unknown[]): {
  reader: OpenAiStreamReader;
  firstTokenMs: number | null;
  firstContentMs: number | null;
} {
  const exchange = startExchange(REQUEST, null, 0, true);
  const reader = new OpenAiStreamReader(exchange);
  reader.onStart(200, 'text/event-stream');
  events.forEach((event, i) => {
    const data = typeof event === 'string' ? event : JSON.stringify(event);
    expect(reader.onChunk(Buffer.from(`data: ${data}\n\n`), (i + 1) * 1e6)).toBeNull();
  });
  expect(reader.finish()).toBeNull();
  const ms = (at: number | null): number | null => (at === null ? null : at / 1e6);
  return { reader, firstTokenMs: ms(exchange.firstTokenAt), firstContentMs: ms(exchange.firstContentAt) };
}

const delta = (d: Record<string, unknown>, finishReason: string | null = null): unknown => ({
  choices: [{ index: 0, delta: d, finish_reason: finishReason }],
});

describe('token-bearing chunks of a chat stream', () => {
  it('tool-call fragments (vLLM shape) are generated tokens: they set ttft and itl; ttfo waits for content', () => {
    const { reader, firstTokenMs, firstContentMs } = read([
      delta({ role: 'assistant', content: '' }),
      delta({ tool_calls: [{ id: 'call-1', type: 'function', index: 0, function: { name: 'get_weather' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"city": "' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: 'Paris"}' } }] }),
      delta({ content: '' }, 'tool_calls'),
      { choices: [], usage: { prompt_tokens: 12, completion_tokens: 9 } },
      '[DONE]',
    ]);
    expect(firstTokenMs).toBe(2);
    expect(firstContentMs).toBeNull();
    expect(reader.raw.map((c) => [c.receivedAt / 1e6, c.text, c.hasContent])).toEqual([
      [2, 'get_weather', false],
      [3, '{"city": "', false],
      [4, 'Paris"}', false],
    ]);
    expect(reader.toolCalls).toBe('get_weather{"city": "Paris"}');
    expect(reader.finishReason).toBe('tool_calls');
    expect(reader.completionTokens).toBe(9);
  });

  it('reasoning text (llama.cpp reasoning_content, vLLM reasoning) counts for ttft; content for ttfo', () => {
    for (const field of ['reasoning_content', 'reasoning']) {
      const { reader, firstTokenMs, firstContentMs } = read([
        delta({ role: 'assistant', content: null }),
        delta({ [field]: 'Let me' }),
        delta({ [field]: ' think.' }),
        delta({ content: 'Four' }),
        delta({}, 'stop'),
        '[DONE]',
      ]);
      expect(firstTokenMs).toBe(2);
      expect(firstContentMs).toBe(4);
      expect(reader.reasoning).toBe('Let me think.');
      expect(reader.output).toBe('Four');
      expect(reader.raw.map((c) => c.hasContent)).toEqual([false, false, true]);
      expect(reader.finishReason).toBe('stop');
    }
  });

  it('keeps the finish reason of a completions stream cut at its token budget', () => {
    const { reader } = read([
      { choices: [{ index: 0, text: ' a', finish_reason: null }] },
      { choices: [{ index: 0, text: ' b', finish_reason: 'length' }] },
      '[DONE]',
    ]);
    expect(reader.output).toBe(' a b');
    expect(reader.finishReason).toBe('length');
  });

  it("takes llama.cpp's own timings as the server's counts when the stream carries no usage, and usage over them", () => {
    const timings = { cache_n: 3, prompt_n: 5, prompt_ms: 4.2, predicted_n: 2, predicted_ms: 1.1 };
    const { reader } = read([
      { choices: [{ index: 0, text: ' a', finish_reason: null }] },
      { choices: [{ index: 0, text: ' b', finish_reason: 'length' }], timings },
      '[DONE]',
    ]);
    expect(reader.completionTokens).toBe(2);
    expect(reader.promptTokens).toBe(8);
    const { reader: withUsage } = read([
      { choices: [{ index: 0, text: ' a', finish_reason: 'length' }], timings },
      { choices: [], usage: { prompt_tokens: 9, completion_tokens: 1 } },
      '[DONE]',
    ]);
    expect(withUsage.completionTokens).toBe(1);
    expect(withUsage.promptTokens).toBe(9);
  });
});

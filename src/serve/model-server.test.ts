import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { YardstickError } from '../core/errors.js';
import { trainReferenceModel } from '../models/train-reference.js';
import { ClassifierBackend } from './classifier-backend.js';
import type { GenerationRequest, GenerationResult, ModelBackend, TokenLogprob } from './model-backend.js';
import { startModelServer, type RunningModelServer } from './model-server.js';
import { sampleSum } from '../../test/helpers/prometheus-text.js';

/** Streams a fixed answer word by word, so streaming and usage can be checked piece by piece. */
class WordsBackend implements ModelBackend {
  readonly id = 'words';
  readonly details = { kind: 'gguf' as const, description: 'test backend' };
  generate(
    request: GenerationRequest,
    prompt: string,
    onText: (piece: string, logprob: TokenLogprob | null) => void,
  ): Promise<GenerationResult> {
    const words = ['one', ' two', ' three'].slice(0, request.maxTokens ?? 3);
    words.forEach((w, i) =>
      onText(w, request.topLogprobs === null ? null : { token: w, logprob: -i, top: [], offset: 0 }),
    );
    return Promise.resolve({
      text: words.join(''),
      promptTokens: prompt.length,
      completionTokens: words.length,
      finishReason: 'stop',
      logprobs: null,
    });
  }
}

let server: RunningModelServer;

beforeAll(async () => {
  server = await startModelServer({
    host: '127.0.0.1',
    port: 0,
    backends: [new ClassifierBackend(trainReferenceModel('iris-forest')), new WordsBackend()],
    loading: ['later'],
  });
});
afterAll(() => server.close());

async function post(path: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

function events(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .map((e) => e.replace(/^data: /, '').trim())
    .filter((e) => e !== '' && e !== '[DONE]')
    .map((e) => JSON.parse(e) as Record<string, unknown>);
}

describe('the OpenAI-compatible model server', () => {
  it("answers a chat request with the label, usage and the labels' log-probabilities", async () => {
    const { status, text } = await post('/chat/completions', {
      model: 'iris-forest',
      messages: [
        { role: 'user', content: '{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}' },
      ],
      logprobs: true,
      top_logprobs: 3,
    });
    expect(status).toBe(200);
    const body = JSON.parse(text) as {
      choices: {
        message: { content: string };
        logprobs: { content: { token: string; top_logprobs: { logprob: number }[] }[] };
      }[];
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    expect(body.choices[0]?.message.content).toBe('setosa');
    expect(body.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 1 });
    const top = body.choices[0]?.logprobs.content[0]?.top_logprobs ?? [];
    expect(top).toHaveLength(3);
    expect(top.reduce((a, t) => a + Math.exp(t.logprob), 0)).toBeCloseTo(1, 9);
  });

  it('streams piece by piece, then the finish reason, the usage and [DONE]', async () => {
    const { text } = await post('/chat/completions', {
      model: 'words',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const chunks = events(text) as {
      choices: { delta?: { content?: string; role?: string }; finish_reason: string | null }[];
      usage?: { completion_tokens: number };
    }[];
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? null)).toEqual(['one', ' two', ' three', null, null]);
    expect(chunks[0]?.choices[0]?.delta?.role).toBe('assistant');
    expect(chunks[3]?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks[4]?.usage?.completion_tokens).toBe(3);
  });

  it('answers completions, one choice per prompt, with echo', async () => {
    const { text } = await post('/completions', {
      model: 'iris-forest',
      prompt: ['5.1,3.5,1.4,0.2', '7.7,3.0,6.1,2.3'],
      echo: true,
    });
    const body = JSON.parse(text) as { choices: { index: number; text: string }[] };
    expect(body.choices).toEqual([
      { index: 0, text: '5.1,3.5,1.4,0.2setosa', finish_reason: 'stop', logprobs: null },
      { index: 1, text: '7.7,3.0,6.1,2.3virginica', finish_reason: 'stop', logprobs: null },
    ]);
  });

  it('says what is wrong: bad JSON, no model, an unknown model, a loading model, unreadable input, no route', async () => {
    expect((await post('/chat/completions', '{nope')).status).toBe(400);
    expect((await post('/chat/completions', { messages: [{ role: 'user', content: 'x' }] })).text).toContain(
      "'model' is required",
    );
    const unknown = await post('/chat/completions', { model: 'gpt-9', messages: [{ role: 'user', content: 'x' }] });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('served: iris-forest, words');
    expect(
      (await post('/chat/completions', { model: 'later', messages: [{ role: 'user', content: 'x' }] })).status,
    ).toBe(503);
    const bad = await post('/chat/completions', {
      model: 'iris-forest',
      messages: [{ role: 'user', content: 'a lovely flower' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('expected 4 numbers');
    expect((await post('/embeddings', { model: 'words' })).status).toBe(404);
    const models = (await (await fetch(`${server.baseUrl}/models`)).json()) as {
      data: { id: string; validationAccuracy?: number }[];
    };
    expect(models.data.map((m) => m.id)).toEqual(['iris-forest', 'words']);
    expect(models.data[0]?.validationAccuracy).toBeGreaterThan(0.8);
  });

  it('names the port when it is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await startModelServer({ host: '127.0.0.1', port, backends: [] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(YardstickError);
      expect((error as YardstickError).code).toBe('PORT_IN_USE');
      expect((error as YardstickError).message).toContain(String(port));
      expect((error as YardstickError).exitCode).toBe(2);
    } finally {
      blocker.close();
    }
  });

  it('measures what it serves on its own side and exports it at GET /metrics, in the proxy’s names', async () => {
    const metrics = async (): Promise<string> => (await fetch(`${server.baseUrl.replace(/\/v1$/, '')}/metrics`)).text();
    const before = await metrics();
    const chat = (stream: boolean) => ({ model: 'words', messages: [{ role: 'user', content: 'hi' }], stream });
    expect((await post('/chat/completions', chat(true))).status).toBe(200);
    expect((await post('/chat/completions', chat(false))).status).toBe(200);
    expect((await post('/chat/completions', { ...chat(false), model: 'nope' })).status).toBe(404);
    const after = await metrics();
    const delta = (name: string, labels: Record<string, string>): number =>
      sampleSum(after, name, labels) - sampleSum(before, name, labels);
    const words = { model: 'words', endpoint: 'chat' };
    expect(delta('yardstick_requests_total', { ...words, outcome: 'ok' })).toBe(2);
    expect(delta('yardstick_requests_total', { model: 'nope', outcome: 'http_4xx' })).toBe(1);
    // Three words streamed one piece each: a first token, and two gaps between tokens.
    expect(delta('yardstick_time_to_first_token_seconds_count', words)).toBe(1);
    expect(delta('yardstick_inter_token_latency_seconds_count', words)).toBe(2);
    expect(delta('yardstick_generation_tokens_total', words)).toBe(6);
    expect(delta('yardstick_request_duration_seconds_count', words)).toBe(2);
    expect(sampleSum(after, 'yardstick_requests_in_flight')).toBe(0);
  });
});

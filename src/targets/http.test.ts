import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetSchema } from '../config/schema.js';
import { startSimulator, type RunningSimulator } from '../simulator/server.js';
import { createTarget } from './registry.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(async () => {
  await sim.close();
});

const run = { signal: new AbortController().signal, intendedAt: null };
const request = { index: 0, promptId: 0, prompt: 'hi', messages: null, maxTokens: 3, clientTokensIn: 1, extraBody: null };

describe.each(['yardstick', 'undici'] as const)('http target through the %s client', (client) => {
  async function target(fields: Record<string, unknown>): ReturnType<typeof createTarget> {
    return createTarget(targetSchema.parse({ kind: 'http', bodyTemplate: { prompt: '{{prompt}}' }, client, ...fields }), { maxConnections: 2 });
  }

  it('reads the output at the configured path', async () => {
    const t = await target({ url: `${sim.url}/echo`, outputPath: 'output' });
    const exchange = await t.send(request, run);
    expect(exchange).toMatchObject({ status: 'ok', output: 'ok', tokensOut: 1, tokenSource: 'client', streamed: false });
    await t.close();
  });

  it('reads nested paths of an OpenAI-shaped response', async () => {
    const t = await target({ url: `${sim.url}/v1/completions`, bodyTemplate: { model: 'm', prompt: '{{prompt}}', max_tokens: '{{max_tokens}}' }, outputPath: 'choices[0].text' });
    const exchange = await t.send(request, run);
    expect(exchange).toMatchObject({ status: 'ok', output: ' the of and' });
    await t.close();
  });

  it('reports a missing output path and HTTP errors by category', async () => {
    const missing = await target({ url: `${sim.url}/echo`, outputPath: 'result.label' });
    expect((await missing.send(request, run)).error).toMatchObject({ category: 'malformed_response' });
    await missing.close();
    const notFound = await target({ url: `${sim.url}/nowhere`, outputPath: 'output' });
    expect((await notFound.send(request, run)).error).toMatchObject({ category: 'http_4xx', httpStatus: 404 });
    await notFound.close();
  });
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetSchema } from './target-schema.js';
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
const request = {
  index: 0,
  promptId: 0,
  prompt: 'hi',
  messages: null,
  maxTokens: 3,
  clientTokensIn: 1,
  extraBody: null,
};

describe.each(['yardstick', 'undici'] as const)('http target through the %s client', (client) => {
  async function target(fields: Record<string, unknown>): ReturnType<typeof createTarget> {
    return createTarget(
      targetSchema.parse({ kind: 'http', bodyTemplate: { prompt: '{{prompt}}' }, client, ...fields }),
      { maxConnections: 2 },
    );
  }

  it('reads the output at the configured path', async () => {
    const t = await target({ url: `${sim.url}/echo`, outputPath: 'output' });
    const exchange = await t.send(request, run);
    expect(exchange).toMatchObject({
      status: 'ok',
      output: 'ok',
      tokensOut: 1,
      tokenSource: 'client',
      streamed: false,
    });
    await t.close();
  });

  it('reads nested paths of an OpenAI-shaped response', async () => {
    const t = await target({
      url: `${sim.url}/v1/completions`,
      bodyTemplate: { model: 'm', prompt: '{{prompt}}', max_tokens: '{{max_tokens}}' },
      outputPath: 'choices[0].text',
    });
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

  it('keeps every response its own when many arrive at once, each in pieces, on shared connections', async () => {
    // Each answer echoes its prompt with padding of its own length (spaced words: the client tokenizer counts one long word slowly), sent in two writes a moment apart.
    const server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        const prompt = (JSON.parse(Buffer.concat(parts).toString('utf8')) as { prompt: string }).prompt;
        const body = JSON.stringify({ output: `${prompt}:${'é '.repeat(Number(prompt.slice(1)) * 19)}` });
        const cut = Math.floor(body.length / 2);
        res.setHeader('content-type', 'application/json');
        res.write(body.slice(0, cut));
        setTimeout(() => res.end(body.slice(cut)), 2);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const t = await createTarget(
      targetSchema.parse({
        kind: 'http',
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        bodyTemplate: { prompt: '{{prompt}}' },
        outputPath: 'output',
        client,
      }),
      { maxConnections: 8 },
    );
    try {
      const exchanges = await Promise.all(
        Array.from({ length: 200 }, (_, i) => t.send({ ...request, index: i, promptId: i, prompt: `p${i}` }, run)),
      );
      for (const [i, exchange] of exchanges.entries()) expect(exchange.output).toBe(`p${i}:${'é '.repeat(i * 19)}`);
    } finally {
      await t.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

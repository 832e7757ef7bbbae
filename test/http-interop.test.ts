import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetSchema } from '../src/targets/target-schema.js';
import type { TargetRequest } from '../src/core/types.js';
import { createTarget } from '../src/targets/registry.js';

// A server that is not Node.js: Python's standard library frames chunked streams, lengths and HTTP/1.0 its own way.
const SERVER = fileURLToPath(new URL('./fixtures/servers/python-openai.py', import.meta.url));
let server: ChildProcess;
let baseUrl = '';

beforeAll(async () => {
  server = spawn('python3', [SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.once('exit', (code) => reject(new Error(`python server exited with ${code}`)));
    createInterface({ input: server.stdout as NodeJS.ReadableStream }).once('line', resolve);
  });
  baseUrl = `http://127.0.0.1:${port.trim()}/v1`;
});

afterAll(() => {
  server.kill();
});

const request: TargetRequest = {
  index: 0,
  promptId: 0,
  prompt: 'hi',
  messages: null,
  maxTokens: 5,
  clientTokensIn: 1,
  extraBody: null,
};
const run = { signal: new AbortController().signal, intendedAt: null };

describe.each(['yardstick', 'undici'] as const)('a Python HTTP server through the %s client', (client) => {
  it('streams a chunked event stream chunk by chunk, reads a Content-Length body, and an HTTP/1.0 body ended by the close', async () => {
    const target = await createTarget(targetSchema.parse({ kind: 'openai-chat', baseUrl, model: 'py', client }), {
      maxConnections: 2,
    });
    try {
      const streamed = await target.send(request, run);
      expect(streamed).toMatchObject({
        status: 'ok',
        output: 'alpha beta gamma delta epsilon',
        tokensOut: 5,
        tokenSource: 'server',
      });
      expect(streamed.chunks).toHaveLength(5);
      // 20 ms between the server's writes: each arrived as its own piece, timed when it was read.
      const spanMs = ((streamed.chunks[4]?.receivedAt ?? 0) - (streamed.chunks[0]?.receivedAt ?? 0)) / 1e6;
      expect(spanMs).toBeGreaterThan(60);
      const again = await target.send(request, run);
      expect(again.output).toBe(streamed.output);
      const whole = await createTarget(
        targetSchema.parse({ kind: 'openai-chat', baseUrl, model: 'py', client, stream: false }),
        { maxConnections: 1 },
      );
      expect(await whole.send(request, run)).toMatchObject({
        status: 'ok',
        output: 'alpha beta gamma delta epsilon',
        tokensOut: 5,
      });
      await whole.close();
      const old = await createTarget(
        targetSchema.parse({
          kind: 'http',
          url: `${baseUrl}/http10`,
          bodyTemplate: { prompt: '{{prompt}}' },
          outputPath: 'choices[0].message.content',
          client,
        }),
        { maxConnections: 1 },
      );
      expect(await old.send(request, run)).toMatchObject({ status: 'ok', output: 'old' });
      expect(await old.send(request, run)).toMatchObject({ status: 'ok', output: 'old' });
      await old.close();
    } finally {
      await target.close();
    }
  });
});

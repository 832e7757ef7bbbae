import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeServerTokenizer, tokenizerBase } from './server-tokenizer.js';

type Handler = (path: string, body: Record<string, unknown>) => { status: number; body: unknown };

const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A server that answers `/tokenize` and `/detokenize` with one token per character code. */
async function serve(
  handler: Handler,
): Promise<{ url: string; seen: { path: string; body: Record<string, unknown>; auth: string | undefined }[] }> {
  const seen: { path: string; body: Record<string, unknown>; auth: string | undefined }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      seen.push({ path: req.url ?? '', body, auth: req.headers.authorization });
      const reply = handler(req.url ?? '', body);
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen };
}

const codes = (text: string): number[] => [...text].map((c) => c.codePointAt(0) ?? 0);
const chars = (tokens: unknown): string =>
  Array.isArray(tokens) ? tokens.map((t) => String.fromCodePoint(Number(t))).join('') : '';

describe('probeServerTokenizer', () => {
  it("uses llama.cpp's endpoints (content → tokens, tokens → content) beside /v1, with the target's headers", async () => {
    const server = await serve((path, body) =>
      path === '/tokenize'
        ? { status: 200, body: { tokens: codes(String(body.content)) } }
        : path === '/detokenize'
          ? { status: 200, body: { content: chars(body.tokens) } }
          : { status: 404, body: {} },
    );
    const probe = await probeServerTokenizer(server.url, 'tiny', { authorization: 'Bearer k' });
    if (!('tokenizer' in probe)) throw new Error(probe.unavailable);
    expect(probe.tokenizer.source).toBe('server');
    expect(probe.tokenizer.name).toBe(server.url.replace(/\/v1$/, '/tokenize'));
    expect(await probe.tokenizer.encode('abc')).toEqual([97, 98, 99]);
    expect(await probe.tokenizer.decode([104, 105])).toBe('hi');
    expect(server.seen[0]).toMatchObject({
      path: '/tokenize',
      body: { model: 'tiny', add_special: false, add_special_tokens: false },
      auth: 'Bearer k',
    });
  });

  it("uses vLLM's endpoints (prompt → tokens, tokens → prompt)", async () => {
    const server = await serve((path, body) =>
      path === '/tokenize'
        ? { status: 200, body: { count: 3, max_model_len: 2048, tokens: codes(String(body.prompt)) } }
        : { status: 200, body: { prompt: chars(body.tokens) } },
    );
    const probe = await probeServerTokenizer(server.url, 'm', {});
    if (!('tokenizer' in probe)) throw new Error(probe.unavailable);
    expect(await probe.tokenizer.decode(await probe.tokenizer.encode('xyz'))).toBe('xyz');
  });

  it('says why a server without the endpoints has no tokenizer', async () => {
    const server = await serve(() => ({ status: 404, body: { error: 'not found' } }));
    const probe = await probeServerTokenizer(server.url, 'm', {});
    expect(probe).toEqual({
      unavailable: `the server has no usable tokenizer endpoint (HTTP 404 from ${server.url.replace(/\/v1$/, '/tokenize')})`,
    });
    const wrongShape = await serve(() => ({ status: 200, body: { tokens: 'abc' } }));
    const second = await probeServerTokenizer(wrongShape.url, 'm', {});
    expect('unavailable' in second && second.unavailable).toContain('without a list of token ids');
  });

  it('finds the endpoints beside /v1 at any prefix', () => {
    expect(tokenizerBase('http://h:1/v1').href).toBe('http://h:1/');
    expect(tokenizerBase('http://h:1/v1/').href).toBe('http://h:1/');
    expect(tokenizerBase('http://h:1/api/v1?x=1').href).toBe('http://h:1/api/');
    expect(tokenizerBase('http://h:1').href).toBe('http://h:1/');
  });
});

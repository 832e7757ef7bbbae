import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProxy } from '../src/proxy/proxy-server.js';
import { NO_FAULTS } from '../src/simulator/options.js';
import { startSimulator, type RunningSimulator } from '../src/simulator/server.js';
import { sampleSum } from './helpers/prometheus-text.js';
import { startTestProxy } from './helpers/proxy.js';

const PROMTOOL = '/usr/bin/promtool';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Milliseconds from sending to each body piece's arrival. */
  arrivalsMs: number[];
}

/** One request with node's own client, timing each body piece as it arrives. */
function send(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  abortAfterMs: number | null = null,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const text = body === null ? null : JSON.stringify(body);
    const req = request(
      `${base}${path}`,
      {
        method: text === null ? 'GET' : 'POST',
        headers: { ...(text === null ? {} : { 'content-type': 'application/json' }), ...headers },
      },
      (res) => {
        const pieces: Buffer[] = [];
        const arrivalsMs: number[] = [];
        res.on('data', (piece: Buffer) => {
          arrivalsMs.push(performance.now() - started);
          pieces.push(piece);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(pieces).toString(),
            arrivalsMs,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (abortAfterMs !== null)
      setTimeout(() => {
        req.destroy();
        resolve({ status: 0, headers: {}, body: '', arrivalsMs: [] });
      }, abortAfterMs);
    req.end(text ?? undefined);
  });
}

/** The text a streamed chat response carried, from its events' deltas. */
function streamedText(body: string): { text: string; events: number; usage: Record<string, number> | null } {
  let text = '';
  let events = 0;
  let usage: Record<string, number> | null = null;
  for (const line of body.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    events += 1;
    const event = JSON.parse(line.slice(6)) as {
      choices?: { delta?: { content?: string } }[];
      usage?: Record<string, number> | null;
    };
    text += event.choices?.[0]?.delta?.content ?? '';
    usage = event.usage ?? usage;
  }
  return { text, events, usage };
}

async function metricsOf(proxy: RunningProxy): Promise<string> {
  return (await send(proxy.url, '/metrics', null)).body;
}

async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the condition did not hold within 2 s');
}

let sim: RunningSimulator;
let proxy: RunningProxy;
const closers: (() => Promise<void>)[] = [];

async function proxyTo(upstream: string): Promise<RunningProxy> {
  const started = await startTestProxy(upstream);
  closers.push(() => started.close());
  return started;
}

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 20, itlMs: 5, defaultOutputTokens: 8 });
  closers.push(() => sim.close());
  proxy = await startTestProxy(sim.url, { slos: ['ttft < 1s'] });
  closers.push(() => proxy.close());
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const chat = (stream: boolean, maxTokens = 8): Record<string, unknown> => ({
  model: 'sim',
  messages: [{ role: 'user', content: 'say eight words please' }],
  max_tokens: maxTokens,
  stream,
  ...(stream ? { stream_options: { include_usage: true } } : {}),
});

describe('yardstick proxy', () => {
  it('streams each event on as it arrives, the same events a direct request gets', async () => {
    const direct = await send(sim.url, '/v1/chat/completions', chat(true));
    const proxied = await send(proxy.url, '/v1/chat/completions', chat(true));
    expect(proxied.status).toBe(200);
    expect(proxied.headers['content-type']).toBe(direct.headers['content-type']);
    const a = streamedText(direct.body);
    const b = streamedText(proxied.body);
    expect(b).toEqual(a);
    expect(b.usage?.completion_tokens).toBe(8);
    // Eight tokens 5 ms apart after a 20 ms first token: pieces arrive spread over about 35 ms, not in one burst at the
    // end. The simulator shares this thread, so under load its first token can be late by several milliseconds; a
    // buffering proxy would deliver everything within a millisecond or two.
    expect(proxied.arrivalsMs.length).toBeGreaterThanOrEqual(8);
    expect(proxied.arrivalsMs[0]).toBeGreaterThanOrEqual(19);
    expect((proxied.arrivalsMs.at(-1) ?? 0) - (proxied.arrivalsMs[0] ?? 0)).toBeGreaterThanOrEqual(20);
  });

  it('measures streamed and whole responses as bench does and exports them to Prometheus', async () => {
    const before = await metricsOf(proxy);
    const count = (text: string, name: string, labels: Record<string, string> = {}): number =>
      sampleSum(text, name, { model: 'sim', endpoint: 'chat', ...labels });
    for (let i = 0; i < 5; i += 1) expect((await send(proxy.url, '/v1/chat/completions', chat(true))).status).toBe(200);
    const whole = await send(proxy.url, '/v1/chat/completions', chat(false));
    expect(whole.status).toBe(200);
    const usage = (JSON.parse(whole.body) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    const after = await metricsOf(proxy);
    const delta = (name: string, labels: Record<string, string> = {}): number =>
      count(after, name, labels) - count(before, name, labels);

    expect(delta('yardstick_requests_total', { outcome: 'ok' })).toBe(6);
    expect(delta('yardstick_time_to_first_token_seconds_count')).toBe(5);
    const ttftMeanS = delta('yardstick_time_to_first_token_seconds_sum') / 5;
    expect(ttftMeanS).toBeGreaterThanOrEqual(0.02);
    expect(ttftMeanS).toBeLessThan(0.08);
    // Seven gaps of one token each per streamed response, each about 5 ms.
    expect(delta('yardstick_inter_token_latency_seconds_count')).toBe(35);
    const itlMeanS = delta('yardstick_inter_token_latency_seconds_sum') / 35;
    expect(itlMeanS).toBeGreaterThanOrEqual(0.004);
    expect(itlMeanS).toBeLessThan(0.02);
    expect(delta('yardstick_request_duration_seconds_count')).toBe(6);
    expect(delta('yardstick_generation_tokens_total')).toBe(6 * 8);
    expect(delta('yardstick_prompt_tokens_total')).toBe(6 * usage.prompt_tokens);
    expect(delta('yardstick_finish_reasons_total', { reason: 'length' })).toBe(6);
    // The SLO is on ttft, which a whole response does not have: only the streamed ones count as good.
    expect(delta('yardstick_good_requests_total')).toBe(5);
    expect(count(after, 'yardstick_requests_in_flight')).toBe(0);
  });

  it('passes error statuses through and counts them by category', async () => {
    const failing = await startSimulator({ ttftMs: 1, itlMs: 1, faults: { ...NO_FAULTS, http429: 1 } });
    closers.push(() => failing.close());
    const toFailing = await proxyTo(failing.url);
    const direct = await send(failing.url, '/v1/chat/completions', chat(true));
    const proxied = await send(toFailing.url, '/v1/chat/completions', chat(true));
    expect(proxied.status).toBe(429);
    expect(proxied.body).toBe(direct.body);
    const text = await metricsOf(toFailing);
    expect(sampleSum(text, 'yardstick_requests_total', { outcome: 'http_429' })).toBe(1);
    expect(sampleSum(text, 'yardstick_time_to_first_token_seconds_count')).toBe(0);
  });

  it('passes requests it does not measure through untouched, and their bodies byte for byte', async () => {
    const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
    const echo: Server = createServer((req, res) => {
      const pieces: Buffer[] = [];
      req.on('data', (p: Buffer) => pieces.push(p));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(pieces).toString(),
        });
        res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes', 'set-cookie': ['a=1', 'b=2'] });
        res.end('{"object":"list","data":[]}');
      });
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => echo.close(() => r())));
    const toEcho = await proxyTo(`http://127.0.0.1:${(echo.address() as AddressInfo).port}/base`);
    const reply = await send(
      toEcho.url,
      '/v1/files?purpose=x',
      { any: 'thing', ünï: 'cödé' },
      {
        authorization: 'Bearer sk-secret-123',
        connection: 'keep-alive, x-hop',
        'x-hop': 'drop me',
        'x-custom': 'keep me',
      },
    );
    expect(reply.status).toBe(201);
    expect(reply.body).toBe('{"object":"list","data":[]}');
    expect(reply.headers['x-upstream']).toBe('yes');
    expect(reply.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/base/v1/files?purpose=x',
      body: '{"any":"thing","ünï":"cödé"}',
    });
    expect(seen[0]?.headers).toMatchObject({ authorization: 'Bearer sk-secret-123', 'x-custom': 'keep me' });
    expect(seen[0]?.headers['x-hop']).toBeUndefined();
    const text = await metricsOf(toEcho);
    expect(sampleSum(text, 'yardstick_requests_total')).toBe(0);
    expect(text).not.toContain('sk-secret');
  });

  it("passes the upstream's bytes on as they are to HTTP/1.1 clients, and frames them anew for HTTP/1.0 ones", async () => {
    // An upstream that frames its answer in chunks of its own making, one with an extension a re-framing would drop.
    const chunked = createTcpServer((socket) => {
      socket.once('data', () => {
        socket.write(
          'HTTP/1.1 200 OK\r\nx-upstream: chunked\r\ntransfer-encoding: chunked\r\n\r\n6;note=kept\r\nfirst,\r\n',
        );
        setTimeout(() => socket.end('6\r\nsecond\r\n0\r\n\r\n'), 5);
      });
    });
    await new Promise<void>((r) => chunked.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => chunked.close(() => r())));
    const toChunked = await proxyTo(`http://127.0.0.1:${(chunked.address() as AddressInfo).port}`);
    const port = Number(new URL(toChunked.url).port);
    const raw = (requestText: string, untilClosed: boolean): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port }, () => socket.write(requestText));
        let received = '';
        socket.on('data', (piece: Buffer) => {
          received += piece.toString('latin1');
          if (!untilClosed && received.endsWith('0\r\n\r\n')) {
            socket.destroy();
            resolve(received);
          }
        });
        socket.on('end', () => resolve(received));
        socket.on('error', reject);
      });
    const eleven = await raw('GET /text HTTP/1.1\r\nhost: x\r\n\r\n', false);
    expect(eleven).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(eleven.toLowerCase()).toContain('transfer-encoding: chunked');
    expect(eleven).toContain('x-upstream: chunked');
    expect(eleven).toContain('\r\n\r\n6;note=kept\r\nfirst,\r\n6\r\nsecond\r\n0\r\n\r\n');
    const ten = await raw('GET /text HTTP/1.0\r\n\r\n', true);
    expect(ten.toLowerCase()).not.toContain('transfer-encoding');
    expect(ten).toContain('x-upstream: chunked');
    expect(ten.endsWith('\r\n\r\nfirst,second')).toBe(true);
  });

  it('cancels the upstream request when the client leaves, and answers 502 when the upstream is down', async () => {
    const before = await metricsOf(proxy);
    await send(proxy.url, '/v1/chat/completions', chat(true, 400), {}, 60);
    await eventually(async () => {
      const text = await metricsOf(proxy);
      return (
        sampleSum(text, 'yardstick_requests_total', { outcome: 'cancelled' }) -
          sampleSum(before, 'yardstick_requests_total', { outcome: 'cancelled' }) ===
        1
      );
    });
    expect(sampleSum(await metricsOf(proxy), 'yardstick_requests_in_flight')).toBe(0);

    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const toNothing = await proxyTo(`http://127.0.0.1:${port}`);
    const reply = await send(toNothing.url, '/v1/chat/completions', chat(true));
    expect(reply.status).toBe(502);
    expect(reply.body).toContain('yardstick proxy: the upstream failed');
    expect(sampleSum(await metricsOf(toNothing), 'yardstick_requests_total', { outcome: 'connection' })).toBe(1);
  });

  it.skipIf(!existsSync(PROMTOOL) && process.env.CI !== 'true')(
    "exposes metrics that promtool's checker accepts",
    async () => {
      await send(proxy.url, '/v1/chat/completions', chat(true));
      // `promtool check metrics` reads the exposition on stdin; it fails on bad syntax and prints each naming problem.
      const out = execFileSync(PROMTOOL, ['check', 'metrics'], { input: await metricsOf(proxy), encoding: 'utf8' });
      expect(out).toBe('');
    },
  );
});

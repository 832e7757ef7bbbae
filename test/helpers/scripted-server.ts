import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { CONTINUATION_PROBE } from '../../src/targets/openai.js';

/** What the scripted server does with one request. */
export interface ScriptedReply {
  text?: string;
  status?: number;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Raw body for error statuses (defaults to a small JSON error). */
  body?: string;
  /**
   * Echo requests (`echo` + `logprobs`, a list of prompts sharing the context): the total log-probability of each
   * prompt's continuation, spread evenly over its tokens (words with their leading space). Context tokens get -0.5.
   */
  continuationLogprobs?: number[];
}

export interface ScriptedRequest {
  path: string;
  /** Every prompt of a batched completions request (one item for a single prompt). */
  prompts: string[];
  /** Echo requests: the continuation of each prompt after the prompts' common context. */
  continuations: string[];
  /** The prompt (completions) or the last user message (chat). */
  prompt: string;
  body: Record<string, unknown>;
  /** 1-based count of requests so far, over the server's life. */
  count: number;
  /** When the request's body had arrived (performance.now(), ms). */
  receivedAtMs: number;
}

export interface ScriptedServer {
  baseUrl: string;
  /** Every request but yardstick's continuation-scoring probes. */
  requests: ScriptedRequest[];
  /** yardstick's continuation-scoring probes (loglikelihood runs ask once, up front), answered with echoed logprobs. */
  probes: ScriptedRequest[];
  close(): Promise<void>;
}

function promptOf(body: Record<string, unknown>): string {
  if (typeof body.prompt === 'string') return body.prompt;
  const messages = Array.isArray(body.messages) ? (body.messages as { role: string; content: string }[]) : [];
  return [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
}

function words(text: string): string[] {
  return text.split(/(?<=\s)/).filter((w) => w !== '');
}

/** Splits text into tokens at whitespace: each word keeps the space before it. */
function tokensOf(text: string): { token: string; offset: number }[] {
  const out: { token: string; offset: number }[] = [];
  const pattern = /\s*\S+|\s+$/g;
  for (const m of text.matchAll(pattern)) out.push({ token: m[0], offset: m.index });
  return out;
}

function commonPrefix(texts: readonly string[]): number {
  const first = texts[0] ?? '';
  if (texts.length < 2) return first.length;
  let n = 0;
  while (n < first.length && texts.every((t) => t[n] === first[n])) n += 1;
  // Back up to a token boundary so a continuation starts with its own token.
  while (n > 0 && !/\s/.test(first[n] ?? ' ')) n -= 1;
  return n;
}

function answerEcho(res: ServerResponse, request: ScriptedRequest, totals: readonly number[]): void {
  const contextLength = commonPrefix(request.prompts);
  const choices = request.prompts.map((prompt, index) => {
    const tokens = tokensOf(prompt);
    const continuationTokens = tokens.filter((t) => t.offset >= contextLength).length;
    const each = (totals[index] ?? 0) / Math.max(1, continuationTokens);
    const logprobs = tokens.map((t, i) => (i === 0 ? null : t.offset >= contextLength ? each : -0.5));
    const top = tokens.map((t, i) => (i === 0 ? null : { [t.token]: logprobs[i] ?? 0 }));
    return {
      index,
      text: `${prompt} x`,
      logprobs: {
        tokens: [...tokens.map((t) => t.token), ' x'],
        token_logprobs: [...logprobs, -1],
        text_offset: [...tokens.map((t) => t.offset), prompt.length],
        top_logprobs: [...top, { ' x': -1 }],
      },
      finish_reason: 'length',
    };
  });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      choices,
      usage: {
        prompt_tokens: request.prompts.reduce((s, p) => s + tokensOf(p).length, 0),
        completion_tokens: request.prompts.length,
      },
    }),
  );
}

function answer(res: ServerResponse, request: ScriptedRequest, text: string): void {
  const chat = request.path.endsWith('/chat/completions');
  const usage = {
    prompt_tokens: Math.max(1, Math.ceil(request.prompt.length / 4)),
    completion_tokens: Math.max(1, words(text).length),
  };
  if (request.body.stream === true) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const piece of words(text)) {
      const choice = chat ? { index: 0, delta: { content: piece } } : { index: 0, text: piece };
      res.write(`data: ${JSON.stringify({ choices: [choice] })}\n\n`);
    }
    res.write(`data: ${JSON.stringify({ choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
    return;
  }
  const choice = chat
    ? { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }
    : { index: 0, text, finish_reason: 'stop' };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ choices: [choice], usage }));
}

/** An OpenAI-compatible server on 127.0.0.1 whose every answer (or fault) a test scripts. */
export async function startScriptedServer(reply: (request: ScriptedRequest) => ScriptedReply): Promise<ScriptedServer> {
  const requests: ScriptedRequest[] = [];
  const probes: ScriptedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Only completions are scripted; a bench's look for /metrics or /tokenize finds nothing.
      if (req.method !== 'POST' || /\/(de)?tokenize$/.test(req.url ?? '')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      const prompts = Array.isArray(body.prompt) ? body.prompt.map(String) : [promptOf(body)];
      const context = body.echo === true ? commonPrefix(prompts) : 0;
      const continuations = body.echo === true ? prompts.map((p) => p.slice(context)) : [];
      const request = {
        path: req.url ?? '',
        prompt: prompts[0] ?? '',
        prompts,
        continuations,
        body,
        count: requests.length + 1,
        receivedAtMs: performance.now(),
      };
      if (
        body.echo === true &&
        prompts.join('|') === CONTINUATION_PROBE.continuations.map((c) => CONTINUATION_PROBE.context + c).join('|')
      ) {
        probes.push(request);
        answerEcho(res, request, [-1, -2]);
        return;
      }
      requests.push(request);
      const scripted = reply(request);
      const respond = (): void => {
        if (res.destroyed) return;
        const status = scripted.status ?? 200;
        if (status >= 400) {
          res.writeHead(status, { 'content-type': 'application/json', ...scripted.headers });
          res.end(scripted.body ?? JSON.stringify({ error: { message: `scripted ${status}` } }));
          return;
        }
        if (request.body.echo === true) answerEcho(res, request, scripted.continuationLogprobs ?? []);
        else answer(res, request, scripted.text ?? '');
      };
      if (scripted.delayMs !== undefined && scripted.delayMs > 0) setTimeout(respond, scripted.delayMs);
      else respond();
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    probes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** For a test file: a function starting scripted servers that are all closed after each test. */
export function useScriptedServers(): (reply: (request: ScriptedRequest) => ScriptedReply) => Promise<ScriptedServer> {
  const servers: ScriptedServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (reply) => {
    const server = await startScriptedServer(reply);
    servers.push(server);
    return server;
  };
}

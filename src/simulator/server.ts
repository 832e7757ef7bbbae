import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, sendJson } from '../serve/http-io.js';
import { atDeadline } from './at-deadline.js';
import { echoResponse } from './echo.js';
import { seededRandom } from '../core/random.js';
import { LatencyHistogram } from '../efficiency/latency-histogram.js';
import { DEFAULT_SIMULATOR_OPTIONS, pickFault, type Fault, type FaultRates, type SimulatorOptions } from './options.js';
import { parseFaults } from './parse-faults.js';
import { messageOf } from '../core/errors.js';
import { streamChunk, tokenText, usageChunk, usageOf, wholeResponse, type Endpoint } from './responses.js';

/** How late the simulator's own timers sent chunks, so a client's measurement error can be told apart from the server's. */
export class Lateness {
  readonly firstToken = new LatencyHistogram();
  readonly laterTokens = new LatencyHistogram();
  /** From the request's arrival (its headers parsed) to its first chunk being written, as the server sees it. */
  readonly serverTtft = new LatencyHistogram();

  record(first: boolean, dueAtMs: number, startedAtMs: number): void {
    const now = performance.now();
    (first ? this.firstToken : this.laterTokens).recordNs((now - dueAtMs) * 1e6);
    if (first) this.serverTtft.recordNs((now - startedAtMs) * 1e6);
  }

  report(): object {
    return {
      firstTokenLatenessMs: this.firstToken.statsMs(),
      laterTokenLatenessMs: this.laterTokens.statsMs(),
      serverTtftMs: this.serverTtft.statsMs(),
    };
  }
}

/** A running simulator and how to reach and stop it. */
export interface RunningSimulator {
  url: string;
  port: number;
  /** Requests received so far, by path. */
  requestCounts: Map<string, number>;
  /** Changes the fault rates from the next request on (as `PUT /sim/faults` does over HTTP). */
  setFaults(faults: FaultRates): void;
  close(): Promise<void>;
}

interface ParsedRequest {
  endpoint: Endpoint;
  model: string;
  stream: boolean;
  outputTokens: number;
  promptTokens: number;
  /** Prompts whose log-probabilities to echo (`echo` with `logprobs` on completions); null for generation. */
  echo: string[] | null;
}

function promptWordCount(body: Record<string, unknown>): number {
  const text =
    typeof body.prompt === 'string'
      ? body.prompt
      : Array.isArray(body.prompt)
        ? body.prompt.join(' ')
        : JSON.stringify(body.messages ?? '');
  return text.split(/\s+/).filter((w) => w !== '').length;
}

function parseRequest(endpoint: Endpoint, raw: string, options: SimulatorOptions): ParsedRequest | string {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return 'request body is not JSON';
  }
  if (typeof body !== 'object' || body === null) return 'request body must be a JSON object';
  const record = body as Record<string, unknown>;
  if (endpoint === 'chat' && !Array.isArray(record.messages)) return "'messages' must be an array";
  const prompts = Array.isArray(record.prompt) ? record.prompt : [record.prompt];
  if (endpoint === 'completions' && (prompts.length === 0 || !prompts.every((p) => typeof p === 'string')))
    return "'prompt' must be a string or a list of strings";
  const echo =
    endpoint === 'completions' && record.echo === true && record.logprobs !== undefined && record.logprobs !== null
      ? prompts.map(String)
      : null;
  if (endpoint === 'completions' && echo === null && prompts.length > 1)
    return 'a list of prompts needs echo with logprobs (the simulator generates for one prompt at a time)';
  const maxTokens = typeof record.max_tokens === 'number' ? record.max_tokens : options.defaultOutputTokens;
  return {
    endpoint,
    model: typeof record.model === 'string' ? record.model : 'simulated',
    stream: record.stream === true,
    outputTokens: Math.max(1, Math.floor(maxTokens)),
    promptTokens: promptWordCount(record),
    echo,
  };
}

/**
 * Sends the tokens of one response on an absolute schedule: token k is due at start + ttft + k·itl, and a chunk
 * goes out when its last token is due. Absolute deadlines keep timer lateness from accumulating.
 */
function streamTokens(
  res: ServerResponse,
  request: ParsedRequest,
  options: SimulatorOptions,
  fault: Fault,
  startedAt: number,
  lateness: Lateness,
): void {
  const id = `sim-${startedAt.toFixed(0)}`;
  const chunkCount = Math.ceil(request.outputTokens / options.tokensPerChunk);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let chunk = 0;
  let sent = 0;
  let dueAt = 0;
  const sendNext = (): void => {
    if (res.destroyed) return;
    lateness.record(chunk === 0, dueAt, startedAt);
    if (fault === 'reset' && chunk >= Math.floor(chunkCount / 2)) {
      res.socket?.destroy();
      return;
    }
    if (fault === 'stall' && chunk === 1) return;
    if (fault === 'malformed' && chunk === Math.floor(chunkCount / 2)) res.write('data: {"choices": [ {"delta": \n\n');
    if (fault === 'streamError' && chunk === Math.floor(chunkCount / 2)) {
      res.end(`data: ${JSON.stringify({ error: { message: 'simulated generation failure', code: 500 } })}\n\n`);
      return;
    }
    const tokens = Math.min(options.tokensPerChunk, request.outputTokens - sent);
    let text = '';
    for (let t = 0; t < tokens; t += 1) text += tokenText(sent + t);
    sent += tokens;
    chunk += 1;
    const last = chunk === chunkCount;
    const usage = options.usage === 'continuous' ? usageOf(request.promptTokens, sent) : null;
    res.write(streamChunk(request.endpoint, id, request.model, text, last ? 'length' : null, usage));
    if (last) {
      if (options.usage !== 'none')
        res.write(usageChunk(request.endpoint, id, request.model, usageOf(request.promptTokens, sent)));
      res.end('data: [DONE]\n\n');
      return;
    }
    const lastTokenOfNext = Math.min(sent + options.tokensPerChunk, request.outputTokens) - 1;
    dueAt = startedAt + options.ttftMs + lastTokenOfNext * options.itlMs;
    atDeadline(dueAt, sendNext);
  };
  dueAt = startedAt + options.ttftMs + (Math.min(options.tokensPerChunk, request.outputTokens) - 1) * options.itlMs;
  atDeadline(dueAt, sendNext);
}

function answerWhole(
  res: ServerResponse,
  request: ParsedRequest,
  options: SimulatorOptions,
  fault: Fault,
  startedAt: number,
): void {
  const dueAt = startedAt + options.ttftMs + (request.outputTokens - 1) * options.itlMs;
  atDeadline(dueAt, () => {
    if (fault === 'reset' || fault === 'stall') {
      if (fault === 'reset') res.socket?.destroy();
      return;
    }
    if (fault === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": [');
      return;
    }
    if (request.echo !== null) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(echoResponse(request.model, request.echo)));
      return;
    }
    let text = '';
    for (let t = 0; t < request.outputTokens; t += 1) text += tokenText(t);
    const usage = options.usage === 'none' ? null : usageOf(request.promptTokens, request.outputTokens);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(wholeResponse(request.endpoint, 'sim', request.model, text, usage));
  });
}

/**
 * A server's slots: at most `count` responses in progress (0: no limit); the others wait in arrival order. A waiting
 * request starts when a response ends — at the time that response was scheduled to end, not when its last timer
 * happened to fire, so a late timer never delays the schedules after it and the capacity stays exactly
 * `count` / (one response's duration).
 */
class Slots {
  private busy = 0;
  private readonly waiting: { arrivedAt: number; begin: (startAt: number) => void }[] = [];

  constructor(private readonly count: number) {}

  /** Starts a response (lasting `durationMs` by its schedule) when a slot is free; `start` gets its start time. */
  run(res: ServerResponse, arrivedAt: number, durationMs: number, start: (startedAt: number) => void): void {
    if (this.count === 0) {
      start(arrivedAt);
      return;
    }
    const begin = (startAt: number): void => {
      if (res.destroyed) {
        this.next(startAt);
        return;
      }
      this.busy += 1;
      res.once('close', () => {
        this.busy -= 1;
        this.next(startAt + durationMs);
      });
      start(startAt);
    };
    if (this.busy < this.count) begin(arrivedAt);
    else this.waiting.push({ arrivedAt, begin });
  }

  /** A slot freed at `freedAt` (a scheduled time, never later than now) takes the first waiting request. */
  private next(freedAt: number): void {
    if (this.busy >= this.count) return;
    const waiting = this.waiting.shift();
    waiting?.begin(Math.max(freedAt, waiting.arrivedAt));
  }
}

/** Starts an OpenAI-compatible server with exactly known timing and optional faults, on 127.0.0.1 by default. */
export async function startSimulator(overrides: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  const options: SimulatorOptions = { ...DEFAULT_SIMULATOR_OPTIONS, ...overrides };
  const random = seededRandom(options.seed);
  const requestCounts = new Map<string, number>();
  let lateness = new Lateness();
  let faults = options.faults;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const startedAt = performance.now();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requestCounts.set(path, (requestCounts.get(path) ?? 0) + 1);
    if (req.method === 'GET' && path === '/sim/lateness') {
      sendJson(res, 200, lateness.report());
      return;
    }
    if (req.method === 'POST' && path === '/sim/lateness/reset') {
      lateness = new Lateness();
      sendJson(res, 200, {});
      return;
    }
    if (req.method === 'PUT' && path === '/sim/faults') {
      // The body is the --faults syntax (`http500=1`, empty for none): a healthy server turns faulty, or back.
      try {
        faults = parseFaults(await readBody(req));
        sendJson(res, 200, faults);
      } catch (error) {
        sendJson(res, 400, { error: { message: messageOf(error) } });
      }
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, { object: 'list', data: [{ id: 'simulated', object: 'model' }] });
      return;
    }
    if (req.method === 'POST' && path === '/echo') {
      // A minimal endpoint for generator-capacity measurements: answers at once with a small JSON body.
      await readBody(req);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '16' }).end('{"output":"ok"}\n');
      return;
    }
    const endpoint: Endpoint | null =
      path === '/v1/chat/completions' ? 'chat' : path === '/v1/completions' ? 'completions' : null;
    if (req.method !== 'POST' || endpoint === null) {
      sendJson(res, 404, { error: { message: `no route ${req.method ?? ''} ${path}` } });
      return;
    }
    const parsed = parseRequest(endpoint, await readBody(req), options);
    if (typeof parsed === 'string') {
      sendJson(res, 400, { error: { message: parsed } });
      return;
    }
    const fault = pickFault(faults, random());
    if (fault === 'http500') return sendJson(res, 500, { error: { message: 'simulated internal error' } });
    if (fault === 'http429')
      return sendJson(res, 429, { error: { message: 'simulated rate limit' } }, { 'retry-after': '1' });
    slots.run(res, startedAt, options.ttftMs + (parsed.outputTokens - 1) * options.itlMs, (slotStartedAt) => {
      if (parsed.stream && parsed.echo === null) streamTokens(res, parsed, options, fault, slotStartedAt, lateness);
      else answerWhole(res, parsed, options, fault, slotStartedAt);
    });
  };
  const slots = new Slots(options.slots);
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    port,
    requestCounts,
    setFaults: (rates) => {
      faults = rates;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

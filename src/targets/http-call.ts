import { monotonicNs } from '../core/clock.js';
import type { ExchangeError, NetworkTiming } from '../core/types.js';
import type {
  ConnectionPhases,
  HttpDispatcher,
  HttpRequest,
  RequestControl,
  ResponseHandler,
} from '../http/dispatcher.js';
import type { ResponseHeaders } from '../http/response-parser.js';
import { transportError } from '../http/transport-error.js';
import type { Deadline, DeadlineQueue } from './deadline-queue.js';
import { categoryOfStatus } from './http-transport.js';

/** Receives one successful (status below 400) response as it arrives; error responses never reach it. */
export interface ResponseSink {
  /** The final status and the response's content type ('' when absent). */
  onStart(statusCode: number, contentType: string): void;
  /** Each body chunk with its receive time (monotonic ns); returning an error stops reading and fails the call. */
  onChunk(chunk: Buffer, receivedAt: number): ExchangeError | null;
}

/** How a call ended; `resent` when it went out a second time after a reused connection closed before answering. */
export type CallOutcome = { ok: true; resent?: true } | { ok: false; error: ExchangeError; resent?: true };

export type CallRequest = HttpRequest;

interface Abortable {
  abort(reason: Error): void;
  /** Its place in the in-flight list, or -1 when it is not in it. */
  inFlightAt: number;
}

/**
 * The calls in flight under one run signal, in an array where a call knows its own index: adding and removing
 * allocate nothing (a Set rehashes as it grows and shrinks, thousands of times a second under load).
 */
class InFlight {
  private readonly calls: Abortable[] = [];

  add(call: Abortable): void {
    call.inFlightAt = this.calls.length;
    this.calls.push(call);
  }

  delete(call: Abortable): void {
    const at = call.inFlightAt;
    if (at === -1) return;
    const last = this.calls.pop() as Abortable;
    if (last !== call) {
      this.calls[at] = last;
      last.inFlightAt = at;
    }
    call.inFlightAt = -1;
  }

  abortAll(reason: Error): void {
    for (const call of [...this.calls]) call.abort(reason);
  }
}

const inFlightByRunSignal = new WeakMap<AbortSignal, InFlight>();

/** The calls in flight under a run signal; the first call attaches one listener that aborts them all. */
function inFlightUnder(runSignal: AbortSignal): InFlight {
  let inFlight = inFlightByRunSignal.get(runSignal);
  if (inFlight === undefined) {
    const created = new InFlight();
    runSignal.addEventListener('abort', () => created.abortAll(new Error('the run stopped')), { once: true });
    inFlightByRunSignal.set(runSignal, created);
    inFlight = created;
  }
  return inFlight;
}

/** Retry-After as milliseconds from now: delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfterMs(value: string, nowMs = Date.now()): number | null {
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** How much of an error response's body is read for its reason. */
const ERROR_BODY_CHARS = 2000;
/** How much of an error body that is not a JSON error goes into the message. */
const ERROR_SNIPPET_CHARS = 300;

/**
 * The reason an error response gives: the `error.message` (OpenAI, vLLM, llama.cpp), `error` (TGI), `message` or
 * `detail` (FastAPI) of a JSON body, else the start of the body with its whitespace collapsed.
 */
export function reasonOfErrorBody(body: string): string {
  const snippet = body.slice(0, ERROR_SNIPPET_CHARS).replace(/\s+/g, ' ').trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return snippet;
  }
  if (typeof parsed !== 'object' || parsed === null) return snippet;
  const fields = new Map<string, unknown>(Object.entries(parsed));
  const error = fields.get('error');
  const nested =
    typeof error === 'object' && error !== null
      ? new Map<string, unknown>(Object.entries(error)).get('message')
      : undefined;
  for (const candidate of [nested, error, fields.get('message'), fields.get('detail')]) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.replace(/\s+/g, ' ').trim();
  }
  const detail = fields.get('detail');
  return detail === undefined ? snippet : JSON.stringify(detail).slice(0, ERROR_SNIPPET_CHARS);
}

const OK: CallOutcome = { ok: true };

const CANCELLED: ExchangeError = {
  category: 'cancelled',
  message: 'the run stopped before the response ended',
  httpStatus: null,
};

/**
 * One request's response handler. undici keeps finished requests (and so their handlers) in a connection's queue
 * until a few hundred have piled up, so the handler lets go of the sink, the promise and everything they reach the
 * moment it settles; otherwise every response would survive into the old generation and make collection pauses
 * long enough to delay an open loop's sends.
 */
class CallHandler implements ResponseHandler, Abortable {
  private sink: ResponseSink | null;
  private resolve: ((outcome: CallOutcome) => void) | null;
  private control: RequestControl | null = null;
  private deadline: Deadline | null = null;
  private deadlines: DeadlineQueue | null = null;
  private timeoutMs = 0;
  private failure: ExchangeError | null = null;
  /** An error status (400 or above) and the start of its body, kept for the error message. */
  private errorStatus = 0;
  private errorBody = '';
  private retryAfterMs: number | null = null;
  private resent = false;
  inFlightAt = -1;

  constructor(
    sink: ResponseSink,
    resolve: (outcome: CallOutcome) => void,
    private readonly runSignal: AbortSignal,
    private readonly inFlight: InFlight,
    private network: NetworkTiming | null,
  ) {
    this.sink = sink;
    this.resolve = resolve;
  }

  start(deadlines: DeadlineQueue, timeoutMs: number): boolean {
    if (this.runSignal.aborted) {
      this.settle({ ok: false, error: CANCELLED });
      return false;
    }
    this.inFlight.add(this);
    this.deadlines = deadlines;
    this.timeoutMs = timeoutMs;
    this.deadline = deadlines.add(this);
    return true;
  }

  /** The request's time is up. */
  expire(): void {
    this.failure ??= {
      category: 'timeout',
      message: `no complete response within ${this.timeoutMs} ms`,
      httpStatus: null,
    };
    this.abort(new Error(this.failure.message));
  }

  abort(reason: Error): void {
    this.control?.abort(reason);
  }

  onConnect(control: RequestControl): void {
    this.control = control;
  }

  onResend(): void {
    this.resent = true;
  }

  onConnection(phases: ConnectionPhases): void {
    const network = this.network;
    if (network === null) return;
    network.reused = phases.reused;
    network.dnsNs = phases.dnsNs;
    network.connectNs = phases.connectNs;
    network.tlsNs = phases.tlsNs;
  }

  onHeaders(statusCode: number, headers: ResponseHeaders): void {
    if (this.network !== null) this.network.headersAt = monotonicNs();
    if (statusCode >= 400) {
      this.errorStatus = statusCode;
      if (statusCode === 429 || statusCode === 503)
        this.retryAfterMs = parseRetryAfterMs(headers.get('retry-after') ?? '');
    } else this.sink?.onStart(statusCode, headers.get('content-type') ?? '');
  }

  onData(chunk: Buffer): void {
    if (this.errorStatus !== 0) {
      if (this.errorBody.length < ERROR_BODY_CHARS) this.errorBody += chunk.toString('utf8');
      return;
    }
    const error = this.sink?.onChunk(chunk, monotonicNs()) ?? null;
    if (error !== null && this.failure === null) {
      this.failure = error;
      this.abort(new Error(error.message));
    }
  }

  onComplete(): void {
    if (this.failure === null && this.errorStatus !== 0) {
      this.failure = {
        category: categoryOfStatus(this.errorStatus),
        message: `HTTP ${this.errorStatus}: ${reasonOfErrorBody(this.errorBody)}`,
        httpStatus: this.errorStatus,
      };
      if (this.retryAfterMs !== null) this.failure.retryAfterMs = this.retryAfterMs;
    }
    this.settle(this.failure === null ? OK : { ok: false, error: this.failure });
  }

  onError(error: Error): void {
    if (this.runSignal.aborted) return this.settle({ ok: false, error: CANCELLED });
    if (this.failure !== null) return this.settle({ ok: false, error: this.failure });
    this.settle({ ok: false, error: transportError(error) });
  }

  private settle(outcome: CallOutcome): void {
    const resolve = this.resolve;
    if (resolve === null) return;
    if (this.deadline !== null) this.deadlines?.cancel(this.deadline);
    this.inFlight.delete(this);
    this.resolve = null;
    this.sink = null;
    this.network = null;
    this.control = null;
    this.deadline = null;
    this.deadlines = null;
    resolve(this.resent ? { ...outcome, resent: true } : outcome);
  }
}

/**
 * Sends one HTTP request through a dispatcher and streams the response into a sink, stamping every chunk with its
 * receive time. Never rejects: a failure resolves as a categorized error — `cancelled` when the run stopped,
 * `timeout` after `timeoutMs`, `http_4xx`/`http_429`/`http_5xx` with the start of the body for an error status,
 * `malformed_response` when the response broke HTTP's framing, else `connection`. The dispatcher calls the handler
 * back directly: no stream, promise, AbortSignal or header object per request. `network`, when given, receives the
 * request's connection phases and the arrival of the response's head.
 */
export function httpCall(
  dispatcher: HttpDispatcher,
  request: CallRequest,
  sink: ResponseSink,
  runSignal: AbortSignal,
  deadlines: DeadlineQueue,
  timeoutMs: number,
  network: NetworkTiming | null = null,
): Promise<CallOutcome> {
  return new Promise((resolve) => {
    const handler = new CallHandler(sink, resolve, runSignal, inFlightUnder(runSignal), network);
    if (!handler.start(deadlines, timeoutMs)) return;
    dispatcher.dispatch(request, handler);
  });
}

import { monotonicNs } from '../core/clock.js';
import { messageOf } from '../core/errors.js';
import type { ExchangeError } from '../core/types.js';
import { PARSE_ERROR_CODE, type HttpDispatcher, type HttpRequest, type ResponseHandler } from '../http/dispatcher.js';
import type { ResponseHeaders } from '../http/response-parser.js';
import type { DeadlineQueue } from './deadline-queue.js';
import { categoryOfStatus } from './http-transport.js';

/** Receives one successful (status below 400) response as it arrives; error responses never reach it. */
export interface ResponseSink {
  /** The final status and the response's content type ('' when absent). */
  onStart(statusCode: number, contentType: string): void;
  /** Each body chunk with its receive time (monotonic ns); returning an error stops reading and fails the call. */
  onChunk(chunk: Buffer, receivedAt: number): ExchangeError | null;
}

export type CallOutcome = { ok: true } | { ok: false; error: ExchangeError };

export type CallRequest = HttpRequest;

type Abort = (reason: Error) => void;

const inFlightByRunSignal = new WeakMap<AbortSignal, Set<Abort>>();

/** The aborts of requests in flight under a run signal; the first call attaches one listener that aborts them all. */
function inFlightUnder(runSignal: AbortSignal): Set<Abort> {
  let set = inFlightByRunSignal.get(runSignal);
  if (set === undefined) {
    const created = new Set<Abort>();
    runSignal.addEventListener('abort', () => created.forEach((abort) => abort(new Error('the run stopped'))), { once: true });
    inFlightByRunSignal.set(runSignal, created);
    set = created;
  }
  return set;
}

function codeOf(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED' && code !== 'ABORT_ERR') return code;
    current = current.cause;
  }
  return '';
}

/** Retry-After as milliseconds from now: delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfterMs(value: string, nowMs = Date.now()): number | null {
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** How much of an error response's body goes into the error message. */
const ERROR_SNIPPET_CHARS = 300;

const CANCELLED: ExchangeError = { category: 'cancelled', message: 'the run stopped before the response ended', httpStatus: null };

/**
 * One request's response handler. undici keeps finished requests (and so their handlers) in a connection's queue
 * until a few hundred have piled up, so the handler lets go of the sink, the promise and everything they reach the
 * moment it settles; otherwise every response would survive into the old generation and make collection pauses
 * long enough to delay an open loop's sends.
 */
class CallHandler implements ResponseHandler {
  private sink: ResponseSink | null;
  private resolve: ((outcome: CallOutcome) => void) | null;
  private abortRequest: ((reason: Error) => void) | null = null;
  private cancelDeadline: (() => void) | null = null;
  private failure: ExchangeError | null = null;
  /** An error status (400 or above) and the start of its body, kept for the error message. */
  private errorStatus = 0;
  private errorBody = '';
  private retryAfterMs: number | null = null;
  private readonly abort: Abort = (reason) => this.abortRequest?.(reason);

  constructor(
    sink: ResponseSink,
    resolve: (outcome: CallOutcome) => void,
    private readonly runSignal: AbortSignal,
    private readonly inFlight: Set<Abort>,
  ) {
    this.sink = sink;
    this.resolve = resolve;
  }

  start(deadlines: DeadlineQueue, timeoutMs: number): boolean {
    if (this.runSignal.aborted) {
      this.settle({ ok: false, error: CANCELLED });
      return false;
    }
    this.inFlight.add(this.abort);
    this.cancelDeadline = deadlines.add(() => {
      this.failure ??= { category: 'timeout', message: `no complete response within ${timeoutMs} ms`, httpStatus: null };
      this.abort(new Error(this.failure.message));
    });
    return true;
  }

  onConnect(abortRequest: (reason: Error) => void): void {
    this.abortRequest = abortRequest;
  }

  onHeaders(statusCode: number, headers: ResponseHeaders): void {
    if (statusCode >= 400) {
      this.errorStatus = statusCode;
      if (statusCode === 429 || statusCode === 503) this.retryAfterMs = parseRetryAfterMs(headers.get('retry-after') ?? '');
    } else this.sink?.onStart(statusCode, headers.get('content-type') ?? '');
  }

  onData(chunk: Buffer): void {
    if (this.errorStatus !== 0) {
      if (this.errorBody.length < ERROR_SNIPPET_CHARS) this.errorBody += chunk.toString('utf8');
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
      const snippet = this.errorBody.slice(0, ERROR_SNIPPET_CHARS).replace(/\s+/g, ' ').trim();
      this.failure = { category: categoryOfStatus(this.errorStatus), message: `HTTP ${this.errorStatus}: ${snippet}`, httpStatus: this.errorStatus };
      if (this.retryAfterMs !== null) this.failure.retryAfterMs = this.retryAfterMs;
    }
    this.settle(this.failure === null ? { ok: true } : { ok: false, error: this.failure });
  }

  onError(error: Error): void {
    if (this.runSignal.aborted) return this.settle({ ok: false, error: CANCELLED });
    if (this.failure !== null) return this.settle({ ok: false, error: this.failure });
    const code = codeOf(error);
    const message = code === '' || code === PARSE_ERROR_CODE ? messageOf(error) : `${code}: ${messageOf(error)}`;
    const category = TIMEOUT_CODES.has(code) ? 'timeout' : code === PARSE_ERROR_CODE || code.startsWith('HPE_') ? 'malformed_response' : 'connection';
    this.settle({ ok: false, error: { category, message, httpStatus: null } });
  }

  private settle(outcome: CallOutcome): void {
    const resolve = this.resolve;
    if (resolve === null) return;
    this.cancelDeadline?.();
    this.inFlight.delete(this.abort);
    this.resolve = null;
    this.sink = null;
    this.abortRequest = null;
    this.cancelDeadline = null;
    resolve(outcome);
  }
}

/**
 * Sends one HTTP request through a dispatcher and streams the response into a sink, stamping every chunk with its
 * receive time. Never rejects: a failure resolves as a categorized error — `cancelled` when the run stopped,
 * `timeout` after `timeoutMs`, `http_4xx`/`http_429`/`http_5xx` with the start of the body for an error status,
 * `malformed_response` when the response broke HTTP's framing, else `connection`. The dispatcher calls the handler
 * back directly: no stream, promise, AbortSignal or header object per request.
 */
export function httpCall(dispatcher: HttpDispatcher, request: CallRequest, sink: ResponseSink, runSignal: AbortSignal, deadlines: DeadlineQueue, timeoutMs: number): Promise<CallOutcome> {
  return new Promise((resolve) => {
    const handler = new CallHandler(sink, resolve, runSignal, inFlightUnder(runSignal));
    if (!handler.start(deadlines, timeoutMs)) return;
    dispatcher.dispatch(request, handler);
  });
}

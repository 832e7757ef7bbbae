import type { Dispatcher, Pool } from 'undici';
import { monotonicNs } from '../core/clock.js';
import { messageOf } from '../core/errors.js';
import type { ExchangeError } from '../core/types.js';
import type { DeadlineQueue } from './deadline-queue.js';

/** Receives one response as it arrives. */
export interface ResponseSink {
  /** The final status and the response's content type ('' when absent). */
  onStart(statusCode: number, contentType: string): void;
  /** Each body chunk with its receive time (monotonic ns); returning an error stops reading and fails the call. */
  onChunk(chunk: Buffer, receivedAt: number): ExchangeError | null;
}

export type CallOutcome = { ok: true } | { ok: false; error: ExchangeError };

export interface CallRequest {
  path: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body: string | null;
}

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

/** The content-type header from undici's raw header list (alternating names and values). */
function contentTypeOf(rawHeaders: Buffer[]): string {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name !== undefined && name.length === 12 && name.toString('latin1').toLowerCase() === 'content-type') return rawHeaders[i + 1]?.toString('latin1') ?? '';
  }
  return '';
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Sends one HTTP request through undici's dispatcher and streams the response into a sink, stamping every chunk
 * with its receive time. Never rejects: a failure resolves as a categorized error — `cancelled` when the run
 * stopped, `timeout` after `timeoutMs`, else the transport's own category. Uses dispatch rather than
 * `request()` because it creates no stream, promise or AbortSignal per request, which roughly halves the
 * generator's cost per request.
 */
export function httpCall(pool: Pool, request: CallRequest, sink: ResponseSink, runSignal: AbortSignal, deadlines: DeadlineQueue, timeoutMs: number): Promise<CallOutcome> {
  return new Promise((resolve) => {
    const inFlight = inFlightUnder(runSignal);
    let settled = false;
    let failure: ExchangeError | null = null;
    let abortCurrent: ((reason?: Error) => void) | null = null;
    const abort: Abort = (reason) => abortCurrent?.(reason);
    const cancelDeadline = deadlines.add(() => {
      failure ??= { category: 'timeout', message: `no complete response within ${timeoutMs} ms`, httpStatus: null };
      abort(new Error(failure.message));
    });
    const settle = (outcome: CallOutcome): void => {
      if (settled) return;
      settled = true;
      cancelDeadline();
      inFlight.delete(abort);
      resolve(outcome);
    };
    const fail = (error: unknown): void => {
      if (runSignal.aborted) return settle({ ok: false, error: { category: 'cancelled', message: 'the run stopped before the response ended', httpStatus: null } });
      if (failure !== null) return settle({ ok: false, error: failure });
      const code = codeOf(error);
      const message = code === '' ? messageOf(error) : `${code}: ${messageOf(error)}`;
      settle({ ok: false, error: { category: TIMEOUT_CODES.has(code) ? 'timeout' : 'connection', message, httpStatus: null } });
    };
    if (runSignal.aborted) return fail(new Error('the run stopped'));
    inFlight.add(abort);
    // The callback-style handler is undici's native one; the newer controller style wraps it in an adapter and
    // parses every header into an object, which costs measurably at tens of thousands of requests per second.
    const handler: Dispatcher.DispatchHandler = {
      onConnect(abortRequest: (reason?: Error) => void) {
        abortCurrent = abortRequest;
      },
      onHeaders(statusCode: number, rawHeaders: Buffer[]) {
        if (statusCode >= 200) sink.onStart(statusCode, contentTypeOf(rawHeaders));
        return true;
      },
      onData(chunk: Buffer) {
        const error = sink.onChunk(chunk, monotonicNs());
        if (error !== null && failure === null) {
          failure = error;
          abortCurrent?.(new Error(error.message));
        }
        return true;
      },
      onComplete() {
        settle(failure === null ? { ok: true } : { ok: false, error: failure });
      },
      onError(error: Error) {
        fail(error);
      },
    };
    pool.dispatch({ path: request.path, method: request.method, headers: request.headers, body: request.body }, handler);
  });
}

import { Pool } from 'undici';
import { connect } from 'node:net';
import { YardstickError, messageOf } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { ErrorCategory, ExchangeError } from '../core/types.js';

/** A keep-alive connection pool to one origin, sized for the run's concurrency. */
export function createPool(url: URL, maxConnections: number, timeoutMs: number): Pool {
  return new Pool(url.origin, {
    connections: maxConnections,
    pipelining: 1,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 10_000,
  });
}

/** Aborts on the run's signal or after the request timeout, whichever comes first. */
export class RequestDeadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  timedOut = false;

  constructor(runSignal: AbortSignal, timeoutMs: number) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error(`no complete response within ${timeoutMs} ms`));
    }, timeoutMs);
    this.signal = AbortSignal.any([runSignal, this.controller.signal]);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
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

/** Puts a thrown transport error into its category. `cancelled` wins when the run itself was stopped. */
export function classifyFailure(error: unknown, runSignal: AbortSignal, deadline: RequestDeadline): ExchangeError {
  if (runSignal.aborted) return { category: 'cancelled', message: 'the run stopped before the response ended', httpStatus: null };
  const code = codeOf(error);
  if (deadline.timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { category: 'timeout', message: deadline.timedOut ? messageOf(deadline.signal.reason) : `${code}: ${messageOf(error)}`, httpStatus: null };
  }
  return { category: 'connection', message: code === '' ? messageOf(error) : `${code}: ${messageOf(error)}`, httpStatus: null };
}

/** The category of an HTTP error status. */
export function categoryOfStatus(status: number): ErrorCategory {
  if (status === 429) return 'http_429';
  if (status >= 500) return 'http_5xx';
  return 'http_4xx';
}

/** Reads at most `limit` characters of an error body for the message, discarding the rest. */
export async function readSnippet(body: AsyncIterable<Buffer | string>, limit = 300): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    if (text.length < limit) text += chunk.toString();
  }
  return text.slice(0, limit).replace(/\s+/g, ' ').trim();
}

/** Fails with exit 4 unless a TCP connection to the URL's host and port opens within `timeoutMs`. */
export async function checkTcpReachable(url: URL, timeoutMs = 5000): Promise<void> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    });
    socket.once('error', reject);
  }).catch((error: unknown) => {
    throw new YardstickError({
      code: 'TARGET_UNREACHABLE',
      message: `cannot reach ${url.origin}: ${messageOf(error)}`,
      hint: 'start the server, or fix the target URL in the config or flags',
      exitCode: ExitCode.targetUnreachable,
      cause: error,
    });
  });
}

/** Reads the API key from the environment variable the config names; never logged or stored. */
export function apiKeyFrom(envName: string | undefined): string | null {
  if (envName === undefined) return null;
  const value = process.env[envName];
  if (value === undefined || value === '') {
    throw new YardstickError({
      code: 'API_KEY_MISSING',
      message: `environment variable ${envName} (named by target.apiKeyEnv) is not set`,
      hint: `export ${envName}=… before running, or remove apiKeyEnv if the server needs no key`,
      exitCode: ExitCode.usage,
    });
  }
  return value;
}

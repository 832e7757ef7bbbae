import { setTimeout as sleep } from 'node:timers/promises';
import type { ErrorCategory, Exchange, TargetRequest } from '../core/types.js';
import type { Target } from '../targets/target.js';

export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured; a longer one is cut to this. */
  maxRetryAfterMs: number;
  random: () => number;
}

const RETRYABLE: ReadonlySet<ErrorCategory> = new Set(['http_429', 'http_5xx', 'connection', 'timeout']);

/** Whether a failed exchange is worth another attempt: rate limits, server errors, dropped connections and timeouts. */
export function isRetryable(exchange: Exchange): boolean {
  return (
    exchange.status !== 'ok' &&
    exchange.status !== 'cancelled' &&
    exchange.error !== null &&
    RETRYABLE.has(exchange.error.category)
  );
}

/**
 * Delay before retry number `attempt` (1-based): the server's Retry-After when it sent one, else "full jitter"
 * exponential backoff — uniform in [0, min(max, base·2^(attempt−1))] — which spreads retries of many clients.
 */
export function retryDelayMs(exchange: Exchange, attempt: number, policy: RetryPolicy): number {
  const retryAfter = exchange.error?.retryAfterMs;
  if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxRetryAfterMs);
  return policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

/** Resolves after `ms`, or at once when the signal aborts (the timer and its listener are released either way). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return sleep(ms, undefined, { signal }).catch(() => undefined);
}

export interface AttemptedExchange {
  exchange: Exchange;
  /** Requests sent, 1 + retries. */
  attempts: number;
}

/** Sends a request, retrying retryable failures with backoff; returns the last exchange and how many attempts it took. */
export async function sendWithRetries(
  target: Target,
  request: TargetRequest,
  signal: AbortSignal,
  policy: RetryPolicy,
): Promise<AttemptedExchange> {
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const exchange = await target.send(request, { signal, intendedAt: null });
    if (!isRetryable(exchange) || attempts > policy.retries || signal.aborted) return { exchange, attempts };
    await pause(retryDelayMs(exchange, attempts, policy), signal);
    if (signal.aborted) return { exchange, attempts };
  }
}

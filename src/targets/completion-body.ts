import type { ExchangeError } from '../core/types.js';

export type Json = Record<string, unknown>;

/** The value as a JSON object, or null when it is not one. */
export function asObject(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

export function malformed(message: string): ExchangeError {
  return { category: 'malformed_response', message, httpStatus: null };
}

/** A whole /completions answer as a JSON object; an answer that is not one, or that carries an `error`, as the exchange's error. */
export function readCompletionBody(text: string): { body: Json } | { error: ExchangeError } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { error: malformed(`not JSON: ${text.slice(0, 120)}`) };
  }
  const body = asObject(parsed);
  if (body === null) return { error: malformed(`expected a JSON object, got ${text.slice(0, 120)}`) };
  if (body.error !== undefined && body.error !== null)
    return {
      error: {
        category: 'stream_error',
        message: `server reported an error: ${JSON.stringify(body.error).slice(0, 200)}`,
        httpStatus: null,
      },
    };
  return { body };
}

/** A non-negative token count from `usage`, or null. */
export function usageCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

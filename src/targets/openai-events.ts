import type { ExchangeError } from '../core/types.js';

/** What one OpenAI-style response (a whole JSON body or one SSE event) contributes. */
export interface OpenAiDelta {
  content: string;
  reasoning: string;
  promptTokens: number | null;
  completionTokens: number | null;
  finished: boolean;
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function asCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * Reads the text and usage of a chat or completions payload, streamed (`delta`) or whole (`message`).
 * Returns an error when the payload is not an OpenAI response or carries an `error` object.
 */
export function readOpenAiPayload(text: string): OpenAiDelta | ExchangeError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { category: 'malformed_response', message: `not JSON: ${text.slice(0, 120)}`, httpStatus: null };
  }
  const body = asObject(parsed);
  if (body === null) return { category: 'malformed_response', message: `expected a JSON object, got ${text.slice(0, 120)}`, httpStatus: null };
  const error = asObject(body.error);
  if (error !== null || typeof body.error === 'string') {
    const message = error === null ? asString(body.error) : asString(error.message) || JSON.stringify(error);
    return { category: 'stream_error', message: `server reported an error: ${message}`, httpStatus: null };
  }
  const choices = Array.isArray(body.choices) ? (body.choices as unknown[]) : null;
  const usage = asObject(body.usage);
  if (choices === null && usage === null) {
    return { category: 'malformed_response', message: `no 'choices' or 'usage' in ${text.slice(0, 120)}`, httpStatus: null };
  }
  const choice = asObject(choices?.[0]);
  const part = asObject(choice?.delta) ?? asObject(choice?.message);
  return {
    content: part === null ? asString(choice?.text) : asString(part.content),
    reasoning: part === null ? '' : asString(part.reasoning_content) || asString(part.reasoning),
    promptTokens: asCount(usage?.prompt_tokens),
    completionTokens: asCount(usage?.completion_tokens),
    finished: typeof choice?.finish_reason === 'string',
  };
}

/** True when the value is an ExchangeError rather than a delta. */
export function isExchangeError(value: OpenAiDelta | ExchangeError): value is ExchangeError {
  return 'category' in value;
}

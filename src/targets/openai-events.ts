import type { ExchangeError } from '../core/types.js';

/** What one OpenAI-style response (a whole JSON body or one SSE event) contributes. */
export interface OpenAiDelta {
  content: string;
  reasoning: string;
  /** The text of tool calls (function names and argument fragments), which the model generates as tokens too. */
  toolCalls: string;
  promptTokens: number | null;
  completionTokens: number | null;
  /** `stop`, `length`, `tool_calls`, `content_filter`… when the choice ended in this payload; null before. */
  finishReason: string | null;
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
  if (body === null)
    return {
      category: 'malformed_response',
      message: `expected a JSON object, got ${text.slice(0, 120)}`,
      httpStatus: null,
    };
  const error = asObject(body.error);
  if (error !== null || typeof body.error === 'string') {
    const message = error === null ? asString(body.error) : asString(error.message) || JSON.stringify(error);
    return { category: 'stream_error', message: `server reported an error: ${message}`, httpStatus: null };
  }
  const choices = Array.isArray(body.choices) ? (body.choices as unknown[]) : null;
  const usage = asObject(body.usage);
  if (choices === null && usage === null) {
    return {
      category: 'malformed_response',
      message: `no 'choices' or 'usage' in ${text.slice(0, 120)}`,
      httpStatus: null,
    };
  }
  const choice = asObject(choices?.[0]);
  const part = asObject(choice?.delta) ?? asObject(choice?.message);
  const counted = usage === null ? llamaCppCounts(asObject(body.timings)) : null;
  return {
    content: part === null ? asString(choice?.text) : asString(part.content),
    reasoning: part === null ? '' : asString(part.reasoning_content) || asString(part.reasoning),
    toolCalls: part === null ? '' : toolCallText(part.tool_calls),
    promptTokens: counted === null ? asCount(usage?.prompt_tokens) : counted.promptTokens,
    completionTokens: counted === null ? asCount(usage?.completion_tokens) : counted.completionTokens,
    finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : null,
  };
}

/**
 * The token counts llama.cpp's server reports in the `timings` of a response (its last streamed event, or every one
 * with `timings_per_token`) when the request did not ask for `usage`: `predicted_n` tokens generated so far, and the
 * prompt as `cache_n` tokens reused from the cache plus `prompt_n` evaluated.
 */
function llamaCppCounts(timings: Json | null): { promptTokens: number | null; completionTokens: number | null } | null {
  if (timings === null) return null;
  const completionTokens = asCount(timings.predicted_n);
  const evaluated = asCount(timings.prompt_n);
  const cached = asCount(timings.cache_n) ?? 0;
  return { promptTokens: evaluated === null ? null : evaluated + cached, completionTokens };
}

/**
 * The generated text of `tool_calls` (a stream's fragments or a whole message's calls): each function's name and
 * arguments. vLLM and llama.cpp stream the name in the first fragment of a call and the arguments in pieces after.
 */
function toolCallText(value: unknown): string {
  if (!Array.isArray(value)) return '';
  let text = '';
  for (const call of value) {
    const fn = asObject(asObject(call)?.function);
    if (fn === null) continue;
    text += asString(fn.name) + asString(fn.arguments);
  }
  return text;
}

/** True when the value is an ExchangeError rather than a delta. */
export function isExchangeError(value: OpenAiDelta | ExchangeError): value is ExchangeError {
  return 'category' in value;
}

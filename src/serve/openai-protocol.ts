import type { GenerationRequest, GenerationResult, TokenLogprob } from './model-backend.js';

export interface ParsedGeneration {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  request: GenerationRequest;
}

function messageText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const parts = content.map((part) =>
      typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'text'
        ? (part as { text?: unknown }).text
        : null,
    );
    return parts.every((p) => typeof p === 'string') ? parts.join('') : null;
  }
  return null;
}

function nonNegativeInt(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/** Reads an OpenAI chat or completions body; a string is the reason it cannot be answered (HTTP 400). */
export function parseGeneration(endpoint: 'chat' | 'completions', raw: string): ParsedGeneration | string {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return 'the request body is not JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the request body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '')
    return "'model' is required: GET /v1/models lists the served models";
  const maxTokens = b.max_completion_tokens ?? b.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null && nonNegativeInt(maxTokens) === null)
    return "'max_tokens' must be a non-negative integer";
  const streamOptions =
    typeof b.stream_options === 'object' && b.stream_options !== null
      ? (b.stream_options as Record<string, unknown>)
      : {};
  const common = { maxTokens: nonNegativeInt(maxTokens), echo: false };
  let request: GenerationRequest;
  if (endpoint === 'chat') {
    if (!Array.isArray(b.messages) || b.messages.length === 0) return "'messages' must be a non-empty array";
    const messages: { role: string; content: string }[] = [];
    for (const [i, m] of (b.messages as unknown[]).entries()) {
      const record = typeof m === 'object' && m !== null ? (m as Record<string, unknown>) : {};
      const content = messageText(record.content);
      if (typeof record.role !== 'string' || content === null)
        return `messages[${i}] needs a 'role' and a text 'content'`;
      messages.push({ role: record.role, content });
    }
    const top = b.logprobs === true ? (nonNegativeInt(b.top_logprobs) ?? 0) : null;
    request = { ...common, endpoint, messages, prompts: [], topLogprobs: top };
  } else {
    const prompts =
      typeof b.prompt === 'string'
        ? [b.prompt]
        : Array.isArray(b.prompt) && b.prompt.every((p) => typeof p === 'string')
          ? b.prompt
          : null;
    if (prompts === null || prompts.length === 0) return "'prompt' must be a string or an array of strings";
    const top = b.logprobs === undefined || b.logprobs === null ? null : nonNegativeInt(b.logprobs);
    if (b.logprobs !== undefined && b.logprobs !== null && top === null)
      return "'logprobs' must be a non-negative integer on /v1/completions";
    request = { ...common, endpoint, messages: null, prompts, topLogprobs: top, echo: b.echo === true };
  }
  const stream = b.stream === true;
  if (stream && request.prompts.length > 1)
    return 'streaming answers one prompt at a time; send one prompt, or set stream to false';
  return { model: b.model, stream, includeUsage: streamOptions.include_usage === true, request };
}

export interface ResponseIdentity {
  id: string;
  created: number;
  model: string;
}

function usage(results: readonly GenerationResult[]): Record<string, number> {
  const prompt = results.reduce((a, r) => a + r.promptTokens, 0);
  const completion = results.reduce((a, r) => a + r.completionTokens, 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** JSON has no −∞: an impossible token gets −9999, the floor OpenAI's API reports. */
function finite(logprob: number): number {
  return Number.isFinite(logprob) ? logprob : -9999;
}

function chatLogprobs(tokens: readonly TokenLogprob[]): Record<string, unknown> {
  return {
    content: tokens.map((t) => ({
      token: t.token,
      logprob: t.logprob === null ? null : finite(t.logprob),
      bytes: null,
      top_logprobs: t.top.map((a) => ({ token: a.token, logprob: finite(a.logprob), bytes: null })),
    })),
  };
}

function completionLogprobs(tokens: readonly TokenLogprob[]): Record<string, unknown> {
  return {
    tokens: tokens.map((t) => t.token),
    token_logprobs: tokens.map((t) => (t.logprob === null ? null : finite(t.logprob))),
    top_logprobs: tokens.map((t) =>
      t.top.length === 0 ? null : Object.fromEntries(t.top.map((a) => [a.token, finite(a.logprob)])),
    ),
    text_offset: tokens.map((t) => t.offset),
  };
}

/** The whole (non-streamed) response body for one request's results, one choice per prompt. */
export function wholeResponse(
  endpoint: 'chat' | 'completions',
  identity: ResponseIdentity,
  results: readonly GenerationResult[],
  echoed: readonly string[],
): Record<string, unknown> {
  if (endpoint === 'chat') {
    const r = results[0] as GenerationResult;
    return {
      id: identity.id,
      object: 'chat.completion',
      created: identity.created,
      model: identity.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: r.text },
          finish_reason: r.finishReason,
          logprobs: r.logprobs === null ? null : chatLogprobs(r.logprobs),
        },
      ],
      usage: usage(results),
    };
  }
  return {
    id: identity.id,
    object: 'text_completion',
    created: identity.created,
    model: identity.model,
    choices: results.map((r, index) => ({
      index,
      text: (echoed[index] ?? '') + r.text,
      finish_reason: r.finishReason,
      logprobs: r.logprobs === null ? null : completionLogprobs(r.logprobs),
    })),
    usage: usage(results),
  };
}

/** One server-sent event carrying a piece of output. */
export function streamEvent(
  endpoint: 'chat' | 'completions',
  identity: ResponseIdentity,
  piece: string,
  logprob: TokenLogprob | null,
  first: boolean,
): string {
  const choice =
    endpoint === 'chat'
      ? {
          index: 0,
          delta: first ? { role: 'assistant', content: piece } : { content: piece },
          finish_reason: null,
          logprobs: logprob === null ? null : chatLogprobs([logprob]),
        }
      : {
          index: 0,
          text: piece,
          finish_reason: null,
          logprobs: logprob === null ? null : completionLogprobs([logprob]),
        };
  return `data: ${JSON.stringify({ id: identity.id, object: endpoint === 'chat' ? 'chat.completion.chunk' : 'text_completion', created: identity.created, model: identity.model, choices: [choice] })}\n\n`;
}

/** The closing events: the finish reason, the usage when asked for, and `[DONE]`. */
export function streamEnd(
  endpoint: 'chat' | 'completions',
  identity: ResponseIdentity,
  result: GenerationResult,
  includeUsage: boolean,
): string {
  const object = endpoint === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  const finish =
    endpoint === 'chat'
      ? { index: 0, delta: {}, finish_reason: result.finishReason, logprobs: null }
      : { index: 0, text: '', finish_reason: result.finishReason, logprobs: null };
  let events = `data: ${JSON.stringify({ id: identity.id, object, created: identity.created, model: identity.model, choices: [finish] })}\n\n`;
  if (includeUsage)
    events += `data: ${JSON.stringify({ id: identity.id, object, created: identity.created, model: identity.model, choices: [], usage: usage([result]) })}\n\n`;
  return `${events}data: [DONE]\n\n`;
}

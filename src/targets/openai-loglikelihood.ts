import type { ContinuationScore, ExchangeError } from '../core/types.js';
import { asObject, malformed, readCompletionBody, usageCount, type Json } from './completion-body.js';

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/** Length in Unicode code points, the unit servers (Python strings) count `text_offset` in. */
function codePoints(text: string): number {
  return text.length - (text.match(SURROGATE_PAIR)?.length ?? 0);
}

/**
 * The /completions body that makes the server echo every prompt (context + one continuation each, in one batch)
 * with the log-probability of each prompt token and the top alternative: `echo` + `logprobs: 1`, one generated token
 * (some servers refuse `max_tokens: 0`); that token is not part of any continuation and is ignored.
 */
export function loglikelihoodPayload(model: string, context: string, continuations: readonly string[]): Json {
  return {
    model,
    prompt: continuations.map((c) => context + c),
    echo: true,
    logprobs: 1,
    max_tokens: 1,
    temperature: 0,
  };
}

export interface LoglikelihoodAnswer {
  scores: ContinuationScore[];
  promptTokens: number | null;
  completionTokens: number | null;
}

function isTopToken(top: unknown, token: string): boolean | null {
  const alternatives = asObject(top);
  if (alternatives === null) return null;
  let best: string | null = null;
  let bestLogprob = -Infinity;
  for (const [candidate, value] of Object.entries(alternatives)) {
    if (typeof value === 'number' && value > bestLogprob) {
      best = candidate;
      bestLogprob = value;
    }
  }
  return best === null ? null : best === token;
}

/**
 * Sums the log-probabilities of the tokens that cover the continuation: a token covers `[offset, next offset)`, and
 * counts when that span reaches past the end of the context and starts before the end of the prompt. A token that
 * straddles the boundary (the tokenizer merged the context's last characters with the continuation's first) is
 * counted whole, so every continuation character is scored exactly once.
 */
function scoreChoice(
  choice: Json,
  contextLength: number,
  promptLength: number,
  position: number,
): ContinuationScore | ExchangeError {
  const logprobs = asObject(choice.logprobs);
  const tokens = logprobs?.tokens;
  const values = logprobs?.token_logprobs;
  const offsets = logprobs?.text_offset;
  if (Array.isArray(logprobs?.content)) {
    return malformed(
      `choice ${position} has log-probabilities of the generated tokens only (logprobs.content, the chat format), not of the prompt: the server ignores echo`,
    );
  }
  if (
    !Array.isArray(tokens) ||
    !Array.isArray(values) ||
    !Array.isArray(offsets) ||
    tokens.length !== values.length ||
    tokens.length !== offsets.length
  ) {
    return malformed(
      `choice ${position} has no echoed logprobs (tokens, token_logprobs, text_offset): does the server support echo with logprobs on /completions?`,
    );
  }
  const tops = Array.isArray(logprobs?.top_logprobs) ? (logprobs.top_logprobs as unknown[]) : null;
  let sum = 0;
  let count = 0;
  let greedy: boolean | null = true;
  for (let i = 0; i < tokens.length; i += 1) {
    const start = offsets[i] as unknown;
    if (typeof start !== 'number') return malformed(`choice ${position}: text_offset[${i}] is not a number`);
    const nextOffset = offsets[i + 1] as unknown;
    const end = typeof nextOffset === 'number' ? nextOffset : promptLength;
    if (start >= promptLength || end <= contextLength) continue;
    const value = values[i] as unknown;
    if (typeof value !== 'number')
      return malformed(
        `choice ${position}: the continuation's token ${i} has no log-probability (an empty context has nothing to condition on)`,
      );
    sum += value;
    count += 1;
    const top = isTopToken(tops?.[i], String(tokens[i]));
    greedy = greedy === null || top === null ? null : greedy && top;
  }
  if (count === 0) return malformed(`choice ${position}: no echoed token covers the continuation`);
  return { logprob: sum, isGreedy: greedy, tokens: count };
}

/** Reads the per-continuation log-probabilities from a /completions answer to `loglikelihoodPayload`. */
export function readLoglikelihoods(
  text: string,
  context: string,
  continuations: readonly string[],
): LoglikelihoodAnswer | ExchangeError {
  const read = readCompletionBody(text);
  if ('error' in read) return read.error;
  const body = read.body;
  const choices = Array.isArray(body.choices) ? (body.choices as unknown[]) : null;
  if (choices?.length !== continuations.length) {
    return malformed(
      `expected ${continuations.length} choices (one per prompt), got ${choices === null ? 'none' : choices.length}: does the server accept a list of prompts?`,
    );
  }
  const contextLength = codePoints(context);
  const scores: ContinuationScore[] = new Array<ContinuationScore>(continuations.length);
  for (let position = 0; position < choices.length; position += 1) {
    const choice = asObject(choices[position]);
    if (choice === null) return malformed(`choice ${position} is not an object`);
    const index = typeof choice.index === 'number' ? choice.index : position;
    const continuation = continuations[index];
    if (continuation === undefined || scores[index] !== undefined)
      return malformed(`choice index ${index} is out of range or repeated`);
    const score = scoreChoice(choice, contextLength, contextLength + codePoints(continuation), index);
    if ('category' in score) return score;
    scores[index] = score;
  }
  const usage = asObject(body.usage);
  return {
    scores,
    promptTokens: usageCount(usage?.prompt_tokens),
    completionTokens: usageCount(usage?.completion_tokens),
  };
}

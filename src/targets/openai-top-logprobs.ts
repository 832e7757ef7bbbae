import type { ContinuationScore, ExchangeError } from '../core/types.js';
import { asObject, malformed, readCompletionBody, usageCount, type Json } from './completion-body.js';
import type { LoglikelihoodAnswer } from './openai-loglikelihood.js';

/**
 * The /completions body that asks for one generated token and the log-probabilities of the `topLogprobs` most likely
 * first tokens. `logprobs` is a count in the legacy protocol, and llama.cpp's server reads it as the number of
 * alternatives to return; `top_logprobs` is the chat protocol's name for it.
 */
export function topLogprobsPayload(model: string, context: string, topLogprobs: number): Json {
  return { model, prompt: context, max_tokens: 1, logprobs: topLogprobs, temperature: 0 };
}

/** The first generated token's alternatives, most likely first: from `logprobs.content[0].top_logprobs` (chat format) or `logprobs.top_logprobs[0]` (legacy). */
function firstTokenAlternatives(logprobs: Json): { token: string; logprob: number }[] | null {
  if (Array.isArray(logprobs.content)) {
    const first = asObject(logprobs.content[0]);
    if (first === null || !Array.isArray(first.top_logprobs)) return null;
    return first.top_logprobs.flatMap((entry: unknown) => {
      const e = asObject(entry);
      return e !== null && typeof e.token === 'string' && typeof e.logprob === 'number'
        ? [{ token: e.token, logprob: e.logprob }]
        : [];
    });
  }
  const legacy = Array.isArray(logprobs.top_logprobs) ? asObject(logprobs.top_logprobs[0]) : null;
  if (legacy === null) return null;
  return Object.entries(legacy).flatMap(([token, logprob]) =>
    typeof logprob === 'number' ? [{ token, logprob }] : [],
  );
}

/** A top-log-probabilities answer: the continuations' scores, and how many alternatives the server returned. */
export interface TopLogprobsAnswer extends LoglikelihoodAnswer {
  alternatives: number;
}

/**
 * Scores single-token continuations from the first generated token's top alternatives: a continuation that is one of
 * them gets its log-probability; one that is not is below the least of them (`beyondTopK`, with that least value as
 * its bound). Exact for any continuation that is one token in the model's vocabulary, and only for such.
 */
export function readTopLogprobScores(
  text: string,
  continuations: readonly string[],
): TopLogprobsAnswer | ExchangeError {
  const read = readCompletionBody(text);
  if ('error' in read) return read.error;
  const body = read.body;
  const choice = Array.isArray(body.choices) ? asObject(body.choices[0]) : null;
  const logprobs = asObject(choice?.logprobs);
  const alternatives = logprobs === null ? null : firstTokenAlternatives(logprobs);
  if (alternatives === null || alternatives.length === 0)
    return malformed(
      'the answer has no top log-probabilities of its first token (logprobs.content[0].top_logprobs or logprobs.top_logprobs[0])',
    );
  const byToken = new Map<string, number>();
  let least = Infinity;
  let best: { token: string; logprob: number } | null = null;
  for (const alternative of alternatives) {
    byToken.set(alternative.token, Math.max(byToken.get(alternative.token) ?? -Infinity, alternative.logprob));
    least = Math.min(least, alternative.logprob);
    if (best === null || alternative.logprob > best.logprob) best = alternative;
  }
  const scores = continuations.map((continuation): ContinuationScore => {
    const logprob = byToken.get(continuation);
    if (logprob === undefined) return { logprob: least, isGreedy: false, tokens: 1, beyondTopK: true };
    return { logprob, isGreedy: best?.token === continuation, tokens: 1 };
  });
  const usage = asObject(body.usage);
  return {
    scores,
    promptTokens: usageCount(usage?.prompt_tokens),
    completionTokens: usageCount(usage?.completion_tokens),
    alternatives: alternatives.length,
  };
}

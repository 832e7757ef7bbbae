import { NS_PER_MS } from '../core/clock.js';
import type { Exchange, TargetRequest } from '../core/types.js';
import { requestTimingsNs } from '../efficiency/request-metrics.js';
import type { Target } from '../targets/target.js';
import type { ClientTokenizer } from '../tokens/client-tokenizer.js';
import type { EvalCase } from './cases.js';
import type { CaseResult, StoredScore } from './case-result.js';
import { costOf, type Pricing } from './cost.js';
import type { RequestBuilder } from './prompt-builder.js';
import type { CachedResponse, ResponseCache } from './response-cache.js';
import { sendWithRetries, type RetryPolicy } from './retry.js';
import type { CaseResponse, Score, Scorer } from './scorers/scorer.js';
import { caseDetails } from './case-details.js';

export interface CaseExecutor {
  target: Target;
  builder: RequestBuilder;
  scorers: readonly Scorer[];
  /** The suite's first scorer that reads labels (`labels` set), or null. */
  labelScorer: Scorer | null;
  retry: RetryPolicy;
  cache: ResponseCache | null;
  pricing: Pricing | undefined;
  /** Counts prompt tokens when the server reports none and the cost needs them; null to skip. */
  tokenizer: ClientTokenizer | null;
}

function fromExchange(exchange: Exchange): CachedResponse {
  const timings = requestTimingsNs(exchange);
  return {
    output: exchange.output,
    e2eMs: timings.e2e / NS_PER_MS,
    ttftMs: timings.ttft === null ? null : timings.ttft / NS_PER_MS,
    tpotMs: timings.tpot === null ? null : timings.tpot / NS_PER_MS,
    tokensIn: exchange.tokensIn,
    tokensOut: exchange.tokensOut,
    ...(exchange.loglikelihoods === undefined ? {} : { loglikelihoods: exchange.loglikelihoods }),
  };
}

/** Everything a request sends as input: each prompt of a continuation batch, the chat messages, or the prompt. */
function sentText(request: TargetRequest): string {
  if (request.continuations !== undefined) return request.continuations.map((c) => request.prompt + c).join('\n');
  return request.messages === null ? request.prompt : request.messages.map((m) => m.content).join('\n');
}

/** Combines scorer verdicts: the weighted mean of the values, and a pass when every scorer that could score passed. */
function combine(
  scores: Record<string, StoredScore>,
  scorers: readonly Scorer[],
): { score: number | null; pass: boolean | null } {
  let sum = 0;
  let weights = 0;
  let pass: boolean | null = null;
  for (const scorer of scorers) {
    const s = scores[scorer.name];
    if (s === undefined || s.value === null) continue;
    sum += s.value * scorer.weight;
    weights += scorer.weight;
    if (s.pass !== null) pass = (pass ?? true) && s.pass;
  }
  return { score: weights > 0 ? sum / weights : null, pass };
}

/**
 * Runs one repeat of one case: builds the request, answers it from the cache or the target (with retries), and
 * scores the answer. Returns null when the run was stopped before the answer arrived: the case is then not done,
 * and a resumed run sends it again.
 */
export async function executeCase(
  executor: CaseExecutor,
  evalCase: EvalCase,
  repeat: number,
  signal: AbortSignal,
): Promise<CaseResult | null> {
  const { request, text } = executor.builder.build(evalCase);
  const key = executor.cache?.keyOf(request, repeat) ?? null;
  let response = key === null ? null : ((await executor.cache?.get(key)) ?? null);
  const cached = response !== null;
  let attempts = 0;
  const base = {
    caseId: evalCase.id,
    index: evalCase.index,
    repeat,
    prompt: text,
    expected: evalCase.expected,
    tags: evalCase.tags,
    weight: evalCase.weight,
  };
  const expectedLabel =
    executor.labelScorer === null
      ? null
      : (evalCase.expected.map((e) => executor.labelScorer?.labels?.canonical(e) ?? null).find((l) => l !== null) ??
        null);
  if (response === null) {
    if (executor.tokenizer !== null) request.clientTokensIn = executor.tokenizer.count(sentText(request));
    const sent = await sendWithRetries(executor.target, request, signal, executor.retry);
    attempts = sent.attempts;
    if (sent.exchange.status === 'cancelled' || signal.aborted) return null;
    if (sent.exchange.status !== 'ok') {
      const error = sent.exchange.error ?? { category: 'connection' as const, message: sent.exchange.status };
      return {
        ...base,
        status: 'error',
        error: { category: error.category, message: error.message },
        attempts,
        cached: false,
        output: sent.exchange.output,
        e2eMs: (sent.exchange.endedAt - sent.exchange.sentAt) / NS_PER_MS,
        ttftMs: null,
        tpotMs: null,
        tokensIn: null,
        tokensOut: null,
        cost: null,
        label: null,
        expectedLabel,
        scores: {},
        score: null,
        pass: null,
        judge: null,
      };
    }
    response = fromExchange(sent.exchange);
    if (key !== null) await executor.cache?.put(key, response);
  }
  const caseResponse: CaseResponse = {
    output: response.output,
    e2eMs: response.e2eMs,
    ttftMs: response.ttftMs,
    tokensIn: response.tokensIn,
    tokensOut: response.tokensOut,
    cost: costOf(executor.pricing, response.tokensIn, response.tokensOut),
    ...(response.loglikelihoods === undefined ? {} : { loglikelihoods: response.loglikelihoods }),
  };
  const scores: Record<string, StoredScore> = {};
  const scored: { scorer: Scorer; score: Score }[] = [];
  for (const scorer of executor.scorers) {
    const score = await scorer.score({ evalCase, response: caseResponse, prompt: text, signal });
    scores[scorer.name] = { value: score.value, pass: score.pass, explanation: score.explanation };
    scored.push({ scorer, score });
  }
  const { label, judge, prediction } = caseDetails(scored, executor.labelScorer);
  if (signal.aborted && executor.scorers.some((s) => s.asksAModel === true)) return null;
  return {
    ...base,
    status: 'ok',
    error: null,
    attempts,
    cached,
    output: response.output,
    e2eMs: response.e2eMs,
    ttftMs: response.ttftMs,
    tpotMs: response.tpotMs,
    tokensIn: response.tokensIn,
    tokensOut: response.tokensOut,
    cost: caseResponse.cost,
    label,
    expectedLabel,
    scores,
    ...combine(scores, executor.scorers),
    judge,
    ...(prediction === undefined ? {} : { prediction }),
    ...(response.loglikelihoods === undefined ? {} : { loglikelihoods: response.loglikelihoods }),
  };
}

import { monotonicNs } from '../core/clock.js';
import type { HttpDispatcher } from '../http/dispatcher.js';
import {
  unknownNetworkTiming,
  type Exchange,
  type ExchangeError,
  type TargetRequest,
  type TargetDescription,
} from '../core/types.js';
import type { OpenAiTargetConfig } from './openai-config.js';
import type { ClientTokenizer } from '../tokens/client-tokenizer.js';
import type { TokenizerProbe } from '../tokens/prompt-tokenizer.js';
import { BodyCache } from './body-cache.js';
import { DeadlineQueue } from './deadline-queue.js';
import { failExchange, startExchange } from './exchange-builder.js';
import { httpCall } from './http-call.js';
import { apiKeyFrom, checkTcpReachable, createDispatcher } from './http-transport.js';
import { finishStreamedResponse, finishWholeResponse } from './openai-response.js';
import { loglikelihoodPayload, readLoglikelihoods, type LoglikelihoodAnswer } from './openai-loglikelihood.js';
import { OpenAiStreamReader } from './openai-stream.js';
import { probeServerTokenizer } from './server-tokenizer.js';
import type { ContinuationScoring, ContinuationScoringProbe, SendContext, Target, TargetOptions } from './target.js';
import { wrongKind, type TargetKind } from './target-kind.js';
import { readTopLogprobScores, topLogprobsPayload } from './openai-top-logprobs.js';
import { TextCollector } from './text-collector.js';

/** The one request that asks a server whether it scores continuations: a context and two one-word continuations. */
export const CONTINUATION_PROBE = { context: 'The capital of France is', continuations: [' Paris', ' Rome'] } as const;

/** Any OpenAI-compatible server (vLLM, llama.cpp, Ollama, TGI, OpenAI) through /chat/completions or /completions. */
export class OpenAiTarget implements Target {
  readonly kind: string;
  readonly scoresContinuations: boolean;
  private readonly endpoint: URL;
  private readonly path: string;
  private readonly pool: HttpDispatcher;
  private readonly headers: Record<string, string>;
  private readonly deadlines: DeadlineQueue;
  private readonly bodies = new BodyCache((request) => this.body(request));
  private scoring: ContinuationScoring = { method: 'echo' };

  constructor(
    private readonly config: OpenAiTargetConfig,
    options: TargetOptions,
    private readonly tokenizer: ClientTokenizer,
  ) {
    this.kind = config.kind;
    this.scoresContinuations = config.kind === 'openai-completions';
    const base = config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`;
    this.endpoint = new URL(config.kind === 'openai-chat' ? 'chat/completions' : 'completions', base);
    this.path = this.endpoint.pathname + this.endpoint.search;
    this.deadlines = new DeadlineQueue(config.timeout);
    this.pool = createDispatcher(this.endpoint, config.client, options.maxConnections, config.timeout);
    const apiKey = apiKeyFrom(config.apiKeyEnv);
    this.headers = {
      'content-type': 'application/json',
      accept: config.stream ? 'text/event-stream' : 'application/json',
      ...(apiKey === null ? {} : { authorization: `Bearer ${apiKey}` }),
      ...config.headers,
    };
  }

  describe(): TargetDescription {
    return {
      kind: this.kind,
      name: this.config.name ?? this.config.model,
      url: this.endpoint.href,
      model: this.config.model,
      streaming: this.config.stream,
    };
  }

  checkReachable(): Promise<void> {
    return checkTcpReachable(this.endpoint);
  }

  promptTokenizer(): Promise<TokenizerProbe> {
    return probeServerTokenizer(this.config.baseUrl, this.config.model, this.headers);
  }

  /** Echoed prompt log-probabilities where the server gives them, else the first token's top log-probabilities. */
  async probeContinuationScoring(): Promise<ContinuationScoringProbe> {
    if (!this.scoresContinuations)
      return { unsupported: `a ${this.kind} target cannot ask for log-probabilities of a prompt's continuations` };
    const echo = await this.tryScoring({ method: 'echo' });
    if (echo === null) return this.scoring;
    const top = await this.tryScoring({ method: 'top-logprobs', topLogprobs: this.config.topLogprobs });
    if (top === null) return this.scoring;
    this.scoring = { method: 'echo' };
    return { unsupported: `with echo: ${echo}; with top log-probabilities: ${top}` };
  }

  /** Scores the probe's continuations with `scoring`, which stays the target's method: null when that worked, else why not. */
  private async tryScoring(scoring: ContinuationScoring): Promise<string | null> {
    this.scoring = scoring;
    const probe: TargetRequest = {
      index: -1,
      promptId: -1,
      prompt: CONTINUATION_PROBE.context,
      messages: null,
      maxTokens: 1,
      clientTokensIn: null,
      extraBody: null,
      continuations: CONTINUATION_PROBE.continuations,
    };
    const exchange = await this.send(probe, { signal: new AbortController().signal, intendedAt: null });
    return exchange.status === 'ok' ? null : (exchange.error?.message ?? `the probe ended as ${exchange.status}`);
  }

  private body(request: TargetRequest): string {
    if (request.continuations !== undefined) {
      const payload =
        this.scoring.method === 'echo'
          ? loglikelihoodPayload(this.config.model, request.prompt, request.continuations)
          : topLogprobsPayload(this.config.model, request.prompt, this.scoring.topLogprobs);
      return JSON.stringify({ ...payload, ...(request.extraBody ?? {}), ...this.config.body, stream: false });
    }
    const payload: Record<string, unknown> = { model: this.config.model };
    if (this.config.kind === 'openai-chat')
      payload.messages = request.messages ?? [{ role: 'user', content: request.prompt }];
    else payload.prompt = request.prompt;
    if (request.maxTokens !== null) payload.max_tokens = request.maxTokens;
    if (this.config.stream) {
      payload.stream = true;
      payload.stream_options = {
        include_usage: true,
        ...(this.config.continuousUsage ? { continuous_usage_stats: true } : {}),
      };
    }
    return JSON.stringify({ ...payload, ...(request.extraBody ?? {}), ...this.config.body });
  }

  async send(request: TargetRequest, context: SendContext): Promise<Exchange> {
    const body = this.bodies.bodyFor(request);
    const streamed = this.config.stream && request.continuations === undefined;
    const exchange = startExchange(request, context.intendedAt, monotonicNs(), streamed);
    const stream = streamed ? new OpenAiStreamReader(exchange) : null;
    const whole = new TextCollector();
    exchange.network = unknownNetworkTiming();
    const outcome = await httpCall(
      this.pool,
      { path: this.path, method: 'POST', headers: this.headers, body },
      stream ?? whole,
      context.signal,
      this.deadlines,
      this.config.timeout,
      exchange.network,
    );
    const endedAt = monotonicNs();
    if (outcome.resent === true) exchange.resent = true;
    if (!outcome.ok) return failExchange(exchange, outcome.error, endedAt);
    exchange.endedAt = endedAt;
    const error =
      stream !== null
        ? finishStreamedResponse(exchange, stream, request.clientTokensIn, this.tokenizer)
        : request.continuations !== undefined
          ? this.finishLoglikelihoods(exchange, request, request.continuations, whole.text)
          : finishWholeResponse(exchange, whole.text, request.clientTokensIn, this.tokenizer);
    return error === null ? exchange : failExchange(exchange, error, endedAt);
  }

  private finishLoglikelihoods(
    exchange: Exchange,
    request: TargetRequest,
    continuations: readonly string[],
    text: string,
  ): ExchangeError | null {
    const answer =
      this.scoring.method === 'echo'
        ? readLoglikelihoods(text, request.prompt, continuations)
        : this.readTopLogprobs(text, continuations);
    if ('category' in answer) return answer;
    exchange.loglikelihoods = answer.scores;
    exchange.tokensIn = answer.promptTokens ?? request.clientTokensIn;
    exchange.tokensOut = answer.completionTokens ?? 0;
    exchange.tokenSource = answer.promptTokens === null ? 'client' : 'server';
    return null;
  }

  private readTopLogprobs(text: string, continuations: readonly string[]): LoglikelihoodAnswer | ExchangeError {
    const answer = readTopLogprobScores(text, continuations);
    if ('category' in answer || answer.alternatives >= 2) return answer;
    return {
      category: 'malformed_response',
      message: `asked for the ${this.config.topLogprobs} most likely first tokens, the server listed ${answer.alternatives}: too few to rank continuations`,
      httpStatus: null,
    };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** `kind: openai-chat`: an OpenAI-compatible chat completions endpoint. */
export const openAiChatTargetKind: TargetKind = {
  kind: 'openai-chat',
  create: (config, options, tokenizer) =>
    config.kind === 'openai-chat' ? new OpenAiTarget(config, options, tokenizer) : wrongKind('openai-chat', config),
};

/** `kind: openai-completions`: an OpenAI-compatible (text) completions endpoint. */
export const openAiCompletionsTargetKind: TargetKind = {
  kind: 'openai-completions',
  create: (config, options, tokenizer) =>
    config.kind === 'openai-completions'
      ? new OpenAiTarget(config, options, tokenizer)
      : wrongKind('openai-completions', config),
};

import { createParser } from 'eventsource-parser';
import type { Dispatcher, Pool } from 'undici';
import { monotonicNs } from '../core/clock.js';
import type { Exchange, ExchangeError, TargetRequest } from '../core/types.js';
import type { OpenAiTargetConfig } from '../config/schema.js';
import type { ClientTokenizer } from '../tokens/client-tokenizer.js';
import { settleChunkTokens, type RawChunk } from './chunk-tokens.js';
import { failExchange, startExchange } from './exchange-builder.js';
import { apiKeyFrom, categoryOfStatus, checkTcpReachable, classifyFailure, createPool, readSnippet, RequestDeadline } from './http-transport.js';
import { isExchangeError, readOpenAiPayload } from './openai-events.js';
import type { SendContext, Target, TargetDescription, TargetOptions } from './target.js';

/** Any OpenAI-compatible server (vLLM, llama.cpp, Ollama, TGI, OpenAI) through /chat/completions or /completions. */
export class OpenAiTarget implements Target {
  readonly kind: string;
  private readonly endpoint: URL;
  private readonly pool: Pool;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly config: OpenAiTargetConfig,
    options: TargetOptions,
    private readonly tokenizer: ClientTokenizer,
  ) {
    this.kind = config.kind;
    const base = config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`;
    this.endpoint = new URL(config.kind === 'openai-chat' ? 'chat/completions' : 'completions', base);
    this.pool = createPool(this.endpoint, options.maxConnections, config.timeout);
    const apiKey = apiKeyFrom(config.apiKeyEnv);
    this.headers = {
      'content-type': 'application/json',
      accept: config.stream ? 'text/event-stream' : 'application/json',
      ...(apiKey === null ? {} : { authorization: `Bearer ${apiKey}` }),
      ...config.headers,
    };
  }

  describe(): TargetDescription {
    return { kind: this.kind, name: this.config.name ?? this.config.model, url: this.endpoint.href, model: this.config.model, streaming: this.config.stream };
  }

  checkReachable(): Promise<void> {
    return checkTcpReachable(this.endpoint);
  }

  private body(request: TargetRequest): string {
    const payload: Record<string, unknown> = { model: this.config.model };
    if (this.config.kind === 'openai-chat') payload.messages = request.messages ?? [{ role: 'user', content: request.prompt }];
    else payload.prompt = request.prompt;
    if (request.maxTokens !== null) payload.max_tokens = request.maxTokens;
    if (this.config.stream) {
      payload.stream = true;
      payload.stream_options = { include_usage: true, ...(this.config.continuousUsage ? { continuous_usage_stats: true } : {}) };
    }
    return JSON.stringify({ ...payload, ...(request.extraBody ?? {}), ...this.config.body });
  }

  async send(request: TargetRequest, context: SendContext): Promise<Exchange> {
    const deadline = new RequestDeadline(context.signal, this.config.timeout);
    const body = this.body(request);
    const exchange = startExchange(request, context.intendedAt, monotonicNs(), this.config.stream);
    try {
      const response = await this.pool.request({ path: this.endpoint.pathname + this.endpoint.search, method: 'POST', headers: this.headers, body, signal: deadline.signal });
      if (response.statusCode >= 400) {
        const snippet = await readSnippet(response.body);
        return this.fail(exchange, { category: categoryOfStatus(response.statusCode), message: `HTTP ${response.statusCode}: ${snippet}`, httpStatus: response.statusCode });
      }
      const error = this.config.stream ? await this.readStream(response, exchange, request) : await this.readWhole(response, exchange, request);
      return error === null ? exchange : this.fail(exchange, error);
    } catch (error) {
      return this.fail(exchange, classifyFailure(error, context.signal, deadline));
    } finally {
      deadline.clear();
    }
  }

  private fail(exchange: Exchange, error: ExchangeError): Exchange {
    return failExchange(exchange, error, monotonicNs());
  }

  private async readWhole(response: Dispatcher.ResponseData, exchange: Exchange, request: TargetRequest): Promise<ExchangeError | null> {
    const text = await response.body.text();
    exchange.endedAt = monotonicNs();
    const payload = readOpenAiPayload(text);
    if (isExchangeError(payload)) return payload;
    exchange.output = payload.content;
    this.settleTokens(exchange, request, payload.promptTokens, payload.completionTokens, payload.content + payload.reasoning);
    return null;
  }

  private async readStream(response: Dispatcher.ResponseData, exchange: Exchange, request: TargetRequest): Promise<ExchangeError | null> {
    const contentType = String(response.headers['content-type'] ?? '');
    if (!contentType.includes('text/event-stream')) {
      await response.body.dump();
      return { category: 'malformed_response', message: `expected an event stream, got content-type '${contentType}'`, httpStatus: response.statusCode };
    }
    const raw: RawChunk[] = [];
    let receivedAt = 0;
    let failure: ExchangeError | null = null;
    let done = false;
    let finished = false;
    let promptTokens: number | null = null;
    let completionTokens: number | null = null;
    let output = '';
    let reasoning = '';
    const parser = createParser({
      onEvent: (event) => {
        if (failure !== null || done) return;
        if (event.data === '[DONE]') {
          done = true;
          return;
        }
        const delta = readOpenAiPayload(event.data);
        if (isExchangeError(delta)) {
          failure = delta;
          return;
        }
        promptTokens = delta.promptTokens ?? promptTokens;
        completionTokens = delta.completionTokens ?? completionTokens;
        finished ||= delta.finished;
        if (delta.content === '' && delta.reasoning === '') return;
        output += delta.content;
        reasoning += delta.reasoning;
        exchange.firstTokenAt ??= receivedAt;
        if (delta.content !== '') exchange.firstContentAt ??= receivedAt;
        raw.push({ receivedAt, text: delta.content + delta.reasoning, hasContent: delta.content !== '', cumulativeTokens: delta.completionTokens });
      },
    });
    const decoder = new TextDecoder();
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      receivedAt = monotonicNs();
      parser.feed(decoder.decode(chunk, { stream: true }));
      if (failure !== null) break;
    }
    exchange.endedAt = monotonicNs();
    if (failure !== null) {
      response.body.destroy();
      return failure;
    }
    if (!done && !finished) return { category: 'malformed_response', message: 'the stream ended without [DONE] or a finish_reason', httpStatus: null };
    exchange.output = output;
    exchange.chunks = settleChunkTokens(raw, completionTokens, this.tokenizer);
    this.settleTokens(exchange, request, promptTokens, completionTokens, output + reasoning);
    return null;
  }

  private settleTokens(exchange: Exchange, request: TargetRequest, promptTokens: number | null, completionTokens: number | null, generated: string): void {
    exchange.clientTokensOut = this.tokenizer.count(generated);
    if (completionTokens !== null) {
      exchange.tokensOut = completionTokens;
      exchange.tokensIn = promptTokens ?? request.clientTokensIn;
      exchange.tokenSource = 'server';
    } else {
      exchange.tokensOut = exchange.clientTokensOut;
      exchange.tokensIn = request.clientTokensIn;
      exchange.tokenSource = 'client';
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

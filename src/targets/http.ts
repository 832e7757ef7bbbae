import type { Pool } from 'undici';
import { monotonicNs } from '../core/clock.js';
import type { HttpTargetConfig } from '../config/schema.js';
import type { Exchange, ExchangeError, TargetRequest } from '../core/types.js';
import type { ClientTokenizer } from '../tokens/client-tokenizer.js';
import { failExchange, startExchange } from './exchange-builder.js';
import { apiKeyFrom, categoryOfStatus, checkTcpReachable, classifyFailure, createPool, readSnippet, RequestDeadline } from './http-transport.js';
import { fillTemplate, valueAtPath } from './json-template.js';
import type { SendContext, Target, TargetDescription, TargetOptions } from './target.js';

/** Any JSON-over-HTTP model endpoint: POSTs a filled body template and reads the output at a JSON path. */
export class HttpTarget implements Target {
  readonly kind = 'http';
  private readonly url: URL;
  private readonly pool: Pool;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly config: HttpTargetConfig,
    options: TargetOptions,
    private readonly tokenizer: ClientTokenizer,
  ) {
    this.url = new URL(config.url);
    this.pool = createPool(this.url, options.maxConnections, config.timeout);
    const apiKey = apiKeyFrom(config.apiKeyEnv);
    const keyValue = config.apiKeyHeader.toLowerCase() === 'authorization' ? `Bearer ${apiKey}` : apiKey;
    this.headers = { 'content-type': 'application/json', ...(apiKey === null ? {} : { [config.apiKeyHeader]: keyValue ?? '' }), ...config.headers };
  }

  describe(): TargetDescription {
    return { kind: this.kind, name: this.config.name ?? this.url.host, url: this.url.href, model: null, streaming: false };
  }

  checkReachable(): Promise<void> {
    return checkTcpReachable(this.url);
  }

  async send(request: TargetRequest, context: SendContext): Promise<Exchange> {
    const deadline = new RequestDeadline(context.signal, this.config.timeout);
    const body = JSON.stringify(fillTemplate(this.config.bodyTemplate, request));
    const exchange = startExchange(request, context.intendedAt, monotonicNs(), false);
    const fail = (error: ExchangeError): Exchange => failExchange(exchange, error, monotonicNs());
    try {
      const response = await this.pool.request({ path: this.url.pathname + this.url.search, method: 'POST', headers: this.headers, body, signal: deadline.signal });
      if (response.statusCode >= 400) {
        const snippet = await readSnippet(response.body);
        return fail({ category: categoryOfStatus(response.statusCode), message: `HTTP ${response.statusCode}: ${snippet}`, httpStatus: response.statusCode });
      }
      const text = await response.body.text();
      exchange.endedAt = monotonicNs();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return fail({ category: 'malformed_response', message: `not JSON: ${text.slice(0, 120)}`, httpStatus: response.statusCode });
      }
      const output = valueAtPath(parsed, this.config.outputPath);
      if (output === undefined) {
        return fail({ category: 'malformed_response', message: `no value at '${this.config.outputPath}' in ${text.slice(0, 120)}`, httpStatus: response.statusCode });
      }
      exchange.output = typeof output === 'string' ? output : JSON.stringify(output);
      exchange.clientTokensOut = this.tokenizer.count(exchange.output);
      exchange.tokensOut = exchange.clientTokensOut;
      exchange.tokensIn = request.clientTokensIn;
      exchange.tokenSource = 'client';
      return exchange;
    } catch (error) {
      return fail(classifyFailure(error, context.signal, deadline));
    } finally {
      deadline.clear();
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

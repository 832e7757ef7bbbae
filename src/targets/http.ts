import { monotonicNs } from '../core/clock.js';
import type { HttpDispatcher } from '../http/dispatcher.js';
import type { HttpTargetConfig } from './http-config.js';
import { unknownNetworkTiming, type Exchange, type TargetRequest, type TargetDescription } from '../core/types.js';
import type { ClientTokenizer } from '../tokens/client-tokenizer.js';
import { BodyCache } from './body-cache.js';
import { DeadlineQueue } from './deadline-queue.js';
import { failExchange, startExchange } from './exchange-builder.js';
import { httpCall } from './http-call.js';
import { apiKeyFrom, checkTcpReachable, createDispatcher } from './http-transport.js';
import { compilePath, fillTemplate, valueAtPath } from './json-template.js';
import type { SendContext, Target, TargetOptions } from './target.js';
import { wrongKind, type TargetKind } from './target-kind.js';
import { TextCollector } from './text-collector.js';

/** Any JSON-over-HTTP model endpoint: POSTs a filled body template and reads the output at a JSON path. */
export class HttpTarget implements Target {
  readonly scoresContinuations = false;
  readonly kind = 'http';
  private readonly url: URL;
  private readonly path: string;
  private readonly pool: HttpDispatcher;
  private readonly headers: Record<string, string>;
  private readonly deadlines: DeadlineQueue;
  /** Encodes a request's body: cached by prompt, unless the template uses {{index}} and so differs for every request. */
  private readonly encodeBody: (request: TargetRequest) => string;
  private readonly outputSteps: (string | number)[];

  constructor(
    private readonly config: HttpTargetConfig,
    options: TargetOptions,
    private readonly tokenizer: ClientTokenizer,
  ) {
    this.url = new URL(config.url);
    this.outputSteps = compilePath(config.outputPath);
    const encode = (request: TargetRequest): string => JSON.stringify(fillTemplate(config.bodyTemplate, request));
    const cache = new BodyCache(encode);
    this.encodeBody = JSON.stringify(config.bodyTemplate).includes('{{index}}')
      ? encode
      : (request) => cache.bodyFor(request);
    this.path = this.url.pathname + this.url.search;
    this.deadlines = new DeadlineQueue(config.timeout);
    this.pool = createDispatcher(this.url, config.client, options.maxConnections, config.timeout);
    const apiKey = apiKeyFrom(config.apiKeyEnv);
    const keyValue = config.apiKeyHeader.toLowerCase() === 'authorization' ? `Bearer ${apiKey}` : apiKey;
    this.headers = {
      'content-type': 'application/json',
      ...(apiKey === null ? {} : { [config.apiKeyHeader]: keyValue ?? '' }),
      ...config.headers,
    };
  }

  describe(): TargetDescription {
    return {
      kind: this.kind,
      name: this.config.name ?? this.url.host,
      url: this.url.href,
      model: null,
      streaming: false,
    };
  }

  checkReachable(): Promise<void> {
    return checkTcpReachable(this.url);
  }

  async send(request: TargetRequest, context: SendContext): Promise<Exchange> {
    const body = this.encodeBody(request);
    const exchange = startExchange(request, context.intendedAt, monotonicNs(), false);
    const collector = new TextCollector();
    exchange.network = unknownNetworkTiming();
    const outcome = await httpCall(
      this.pool,
      { path: this.path, method: 'POST', headers: this.headers, body },
      collector,
      context.signal,
      this.deadlines,
      this.config.timeout,
      exchange.network,
    );
    const endedAt = monotonicNs();
    if (outcome.resent === true) exchange.resent = true;
    if (!outcome.ok) return failExchange(exchange, outcome.error, endedAt);
    exchange.endedAt = endedAt;
    let parsed: unknown;
    try {
      parsed = JSON.parse(collector.text);
    } catch {
      return failExchange(
        exchange,
        {
          category: 'malformed_response',
          message: `not JSON: ${collector.text.slice(0, 120)}`,
          httpStatus: collector.statusCode,
        },
        endedAt,
      );
    }
    const output = valueAtPath(parsed, this.outputSteps);
    if (output === undefined) {
      return failExchange(
        exchange,
        {
          category: 'malformed_response',
          message: `no value at '${this.config.outputPath}' in ${collector.text.slice(0, 120)}`,
          httpStatus: collector.statusCode,
        },
        endedAt,
      );
    }
    exchange.output = typeof output === 'string' ? output : JSON.stringify(output);
    exchange.clientTokensOut = this.tokenizer.count(exchange.output);
    exchange.tokensOut = exchange.clientTokensOut;
    exchange.tokensIn = request.clientTokensIn;
    exchange.tokenSource = 'client';
    return exchange;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** `kind: http`: any JSON API, with a body template and paths to the answer. */
export const httpTargetKind: TargetKind = {
  kind: 'http',
  create: (config, options, tokenizer) =>
    config.kind === 'http' ? new HttpTarget(config, options, tokenizer) : wrongKind('http', config),
};

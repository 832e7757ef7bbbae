import { monotonicNs } from '../core/clock.js';
import { messageOf, usageError } from '../core/errors.js';
import type { Exchange } from '../core/types.js';
import type { Slo } from '../efficiency/slo.js';
import type { HttpDispatcher } from '../http/dispatcher.js';
import type { ClientResponse } from '../http-server/client-response.js';
import { startHttpServer, type RunningHttpServer } from '../http-server/http-server.js';
import type { ReadRequest } from '../http-server/request-parser.js';
import { answerMetrics } from '../prometheus/answer-metrics.js';
import { ExchangeMetrics, type ExchangeLabels } from '../prometheus/exchange-metrics.js';
import { createDispatcher } from '../targets/http-transport.js';
import type { ClientTokenizer } from '../tokens/client-tokenizer.js';
import { ExchangeMeter } from './exchange-meter.js';
import { upstreamRequestHeaders } from './forwarded-headers.js';
import { ForwardingHandler } from './forwarding-handler.js';
import { inferenceCallOf, type MeasuredEndpoint } from './inference-call.js';

export interface ProxyOptions {
  /** Where requests go: an origin, optionally with a path that prefixes every request's. */
  upstream: URL;
  host: string;
  /** 0 picks a free port. */
  port: number;
  slos: readonly Slo[];
  /** The path that answers with yardstick's metrics instead of being forwarded. */
  metricsPath: string;
  /** Keep-alive connections to the upstream at most. */
  maxConnections: number;
  /** A request still running after this long is cut (504 before its head, a cut connection after). */
  timeoutMs: number;
  /** JSON APIs measured besides the OpenAI endpoints (`--measure PATH=OUTPUT_PATH`). */
  measured?: readonly MeasuredEndpoint[];
  /** Counts output tokens when the upstream reports no usage. */
  tokenizer: ClientTokenizer;
  /** Each measured exchange as it ends, with the request's labels and body, and whether it met every SLO. */
  onExchange?: (exchange: Exchange, labels: ExchangeLabels, requestBody: Buffer, good: boolean) => void;
  /** Each request passed through without measuring. */
  onPassThrough?: () => void;
  /** A failure on yardstick's own side; the traffic passed through regardless. */
  onOwnError?: (message: string) => void;
}

export interface RunningProxy {
  /** `http://host:port`, the address clients use instead of the upstream's. */
  url: string;
  metrics: ExchangeMetrics;
  /** Stops taking requests, lets those in flight end, then closes the upstream connections. */
  close(): Promise<void>;
}

/** CONNECT opens a tunnel, which a reverse proxy does not offer. */
const UNSUPPORTED_METHODS = new Set(['CONNECT']);

function joinPath(prefix: string, path: string): string {
  const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return `${base}${path.startsWith('/') ? path : `/${path}`}`;
}

/**
 * A reverse proxy in front of an OpenAI-compatible server: every request passes through unchanged, responses stream
 * back piece by piece, and chat and completions calls are measured on the way (docs/operations.md). Answers
 * `metricsPath` itself with its Prometheus metrics.
 */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const metrics = new ExchangeMetrics(options.slos);
  const upstream: HttpDispatcher = createDispatcher(
    options.upstream,
    'yardstick',
    options.maxConnections,
    options.timeoutMs,
  );
  const prefix = options.upstream.pathname === '/' ? '' : options.upstream.pathname;
  let index = 0;

  const ownError = (stage: string, error: unknown): void => {
    metrics.ownError(stage);
    options.onOwnError?.(`${stage}: ${messageOf(error)}`);
  };

  const forward = (request: ReadRequest, response: ClientResponse): void => {
    const { method, target: path, fields } = request.head;
    const body = request.body;
    const call = inferenceCallOf(method, path, body, options.measured ?? []);
    const labels: ExchangeLabels | null = call === null ? null : { model: call.model, endpoint: call.label };
    const sentAt = monotonicNs();
    const meter =
      call === null
        ? null
        : new ExchangeMeter(
            index++,
            sentAt,
            options.tokenizer,
            call.endpoint.kind === 'json' ? call.endpoint.endpoint : null,
          );
    if (labels !== null) metrics.started(labels);
    const handler = new ForwardingHandler(
      response,
      meter,
      options.timeoutMs,
      (exchange) => {
        try {
          if (labels === null) return options.onPassThrough?.();
          if (exchange === null) return metrics.unmeasured(labels);
          const good = metrics.ended(labels, exchange);
          options.onExchange?.(exchange, labels, body, good);
        } catch (error) {
          ownError('measure', error);
        }
      },
      (error) => ownError('measure', error),
    );
    upstream.dispatch(
      {
        method,
        path: joinPath(prefix, path),
        headers: upstreamRequestHeaders(fields),
        body: body.length === 0 && (method === 'GET' || method === 'DELETE') ? null : body,
      },
      handler,
    );
  };

  const answer = (request: ReadRequest, response: ClientResponse): void => {
    const { method, target } = request.head;
    if (method === 'GET' && target === options.metricsPath)
      return answerMetrics(
        metrics,
        {
          writeHead: (status, headers) => response.writeHead(status, Object.entries(headers)),
          end: (text) => response.end(text),
        },
        (error) => ownError('metrics', error),
      );
    if (UNSUPPORTED_METHODS.has(method)) {
      response.writeHead(501, [['content-type', 'application/json']]);
      response.end(JSON.stringify({ error: { message: `yardstick proxy does not forward ${method} requests` } }));
      return;
    }
    forward(request, response);
  };

  let server: RunningHttpServer;
  try {
    server = await startHttpServer({ host: options.host, port: options.port, onRequest: answer });
  } catch (error) {
    throw listenError(options, error);
  }
  const address = server.address;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    metrics,
    close: async () => {
      await server.close();
      await upstream.close();
    },
  };
}

/** Why the proxy cannot listen where it was asked to, as a usage error (exit 2). */
function listenError(options: ProxyOptions, error: unknown): Error {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return code === 'EADDRINUSE'
    ? usageError(
        'PORT_IN_USE',
        `port ${options.port} on ${options.host} is already in use by another process`,
        `choose another with --listen, or port 0 for a free one (see what listens: ss -ltnp 'sport = :${options.port}')`,
      )
    : usageError(
        'LISTEN_FAILED',
        `cannot listen on ${options.host}:${options.port}: ${messageOf(error)}`,
        code === 'EACCES'
          ? 'ports below 1024 need privileges; choose a port above 1024'
          : 'check the host and port of --listen',
      );
}

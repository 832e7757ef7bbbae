import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, sendError, sendJson } from './http-io.js';
import { messageOf, usageError } from '../core/errors.js';
import { BadModelRequest, type GenerationResult, type ModelBackend } from './model-backend.js';
import { parseGeneration, streamEnd, streamEvent, wholeResponse, type ResponseIdentity } from './openai-protocol.js';
import { answerMetrics } from '../prometheus/answer-metrics.js';
import { ExchangeMetrics } from '../prometheus/exchange-metrics.js';
import { ServedExchange } from './served-exchange.js';

export interface ModelServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Models ready at start; more can be added while the server runs (`add`). */
  backends: readonly ModelBackend[];
  /** Models still loading: requests for them get 503 until they are added. */
  loading?: readonly string[];
}

export interface RunningModelServer {
  /** e.g. http://127.0.0.1:41234/v1 */
  baseUrl: string;
  port: number;
  /** The models served now. */
  readonly models: string[];
  /** Starts serving a model (one that was loading, or a new one). */
  add(backend: ModelBackend): void;
  /** The server's own measurements of what it served, as `GET /metrics` exports them. */
  metrics: ExchangeMetrics;
  close(): Promise<void>;
}

let sequence = 0;

async function answer(
  backends: Map<string, ModelBackend>,
  loading: Set<string>,
  endpoint: 'chat' | 'completions',
  req: IncomingMessage,
  res: ServerResponse,
  metrics: ExchangeMetrics,
): Promise<void> {
  const body = await readBody(req);
  const served = new ServedExchange(metrics, endpoint);
  const parsed = parseGeneration(endpoint, body);
  if (typeof parsed === 'string') return served.refused(res, 400, parsed, 'invalid_request_error');
  served.named(parsed.model, parsed.stream);
  const backend = backends.get(parsed.model);
  if (backend === undefined && loading.has(parsed.model))
    return served.refused(res, 503, `${parsed.model} is still loading; retry shortly`, 'server_error');
  if (backend === undefined)
    return served.refused(
      res,
      404,
      `no model '${parsed.model}' here; served: ${[...backends.keys()].join(', ')}`,
      'not_found_error',
    );
  sequence += 1;
  const identity: ResponseIdentity = {
    id: `${endpoint === 'chat' ? 'chatcmpl' : 'cmpl'}-${sequence}`,
    created: Math.floor(Date.now() / 1000),
    model: backend.id,
  };
  const aborted = new AbortController();
  res.on('close', () => aborted.abort());
  const prompts = endpoint === 'chat' ? [''] : parsed.request.prompts;
  try {
    if (parsed.stream) {
      let first = true;
      const result = await backend.generate(
        parsed.request,
        prompts[0] ?? '',
        (piece, logprob) => {
          if (first) res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          res.write(streamEvent(endpoint, identity, piece, logprob, first));
          served.piece(piece);
          first = false;
        },
        aborted.signal,
      );
      if (first) res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(streamEnd(endpoint, identity, result, parsed.includeUsage));
      served.completed([result], aborted.signal.aborted);
      return;
    }
    const results: GenerationResult[] = [];
    for (const prompt of prompts)
      results.push(await backend.generate(parsed.request, prompt, () => undefined, aborted.signal));
    const echoed = parsed.request.echo ? prompts : [];
    sendJson(res, 200, wholeResponse(endpoint, identity, results, echoed));
    served.completed(results, aborted.signal.aborted);
  } catch (error) {
    if (res.headersSent) {
      res.end(`data: ${JSON.stringify({ error: { message: messageOf(error), code: 500 } })}\n\n`);
      served.failedMidStream(messageOf(error), aborted.signal.aborted);
      return;
    }
    if (error instanceof BadModelRequest) served.refused(res, 400, error.message, 'invalid_request_error');
    else served.refused(res, 500, `${backend.id} failed: ${messageOf(error)}`, 'server_error');
  }
}

/**
 * Serves models over the OpenAI-compatible API: `GET /v1/models`, `POST /v1/chat/completions` and `/v1/completions`
 * (streamed as server-sent events or whole, with usage and log-probabilities), and `GET /health`.
 * A port in use is a usage error naming the port.
 */
export async function startModelServer(options: ModelServerOptions): Promise<RunningModelServer> {
  const backends = new Map(options.backends.map((b) => [b.id, b]));
  const loading = new Set(options.loading ?? []);
  const metrics = new ExchangeMetrics([]);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/metrics') return answerMetrics(metrics, res);
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, {
        object: 'list',
        data: [...backends.values()].map((b) => ({ id: b.id, object: 'model', owned_by: 'yardstick', ...b.details })),
      });
    }
    const endpoint = path === '/v1/chat/completions' ? 'chat' : path === '/v1/completions' ? 'completions' : null;
    if (req.method !== 'POST' || endpoint === null)
      return sendError(
        res,
        404,
        `no route ${req.method ?? ''} ${path}; try POST /v1/chat/completions`,
        'not_found_error',
      );
    answer(backends, loading, endpoint, req, res, metrics).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(
          usageError(
            'PORT_IN_USE',
            `port ${options.port} on ${options.host} is already in use by another process`,
            `choose another with --port, or leave --port out to pick a free one (see what listens: ss -ltnp 'sport = :${options.port}')`,
          ),
        );
      else if (error.code === 'EACCES')
        reject(
          usageError(
            'PORT_DENIED',
            `not allowed to listen on ${options.host}:${options.port}`,
            'ports below 1024 need privileges; choose a port above 1024',
          ),
        );
      else reject(error);
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://${options.host}:${port}/v1`,
    port,
    get models() {
      return [...backends.keys()];
    },
    add(backend) {
      backends.set(backend.id, backend);
      loading.delete(backend.id);
    },
    metrics,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }).then(async () => {
        for (const backend of backends.values()) await backend.close?.();
      }),
  };
}

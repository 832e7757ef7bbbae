import type { AddressInfo } from 'node:net';
import { monotonicNs } from '../core/clock.js';
import { messageOf } from '../core/errors.js';
import { Http1Pool } from '../http/http1-pool.js';
import type { ClientResponse, HeaderField } from '../http-server/client-response.js';
import { startHttpServer } from '../http-server/http-server.js';
import { readHeap, type HeapReading } from '../resources/heap-reading.js';
import type { ReadRequest } from '../http-server/request-parser.js';
import { upstreamRequestBytes } from './forwarded-headers.js';
import { ForwardingHandler } from './forwarding-handler.js';
import type { TrafficTap } from './traffic-tap.js';

/** An answer the proxy gives itself (its metrics), made by the measuring side. */
export interface LocalAnswer {
  status: number;
  headers: HeaderField[];
  body: string;
}

export interface RelayOptions {
  /** Where requests go: an origin, optionally with a path that prefixes every request's. */
  upstream: URL;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The path that answers with `answerMetrics` (given this thread's heap) instead of being forwarded. */
  metricsPath: string;
  /** Keep-alive connections to the upstream at most. */
  maxConnections: number;
  /** A request still running after this long is cut (504 before its head, a cut connection after). */
  timeoutMs: number;
  tap: TrafficTap;
  answerMetrics: (forwardingHeap: HeapReading) => Promise<LocalAnswer>;
}

export interface RunningRelay {
  address: AddressInfo;
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
 * The forwarding side of the proxy: takes each request, sends it upstream unchanged but for its hop-by-hop headers,
 * and passes the response back as it is read, while a tap copies what the measuring side needs. It does nothing else,
 * so that the thread it runs on answers each piece of traffic at once; measuring happens elsewhere (proxy-server.ts).
 * Rejects with the listen error (EADDRINUSE, EACCES) when it cannot listen.
 */
export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  // yardstick's own HTTP/1.1 client: the one that hands over each response's bytes as read (`onRawData`).
  const upstream = new Http1Pool(options.upstream, options.maxConnections);
  const prefix = options.upstream.pathname === '/' ? '' : options.upstream.pathname;
  let lastId = 0;

  const forward = (request: ReadRequest, response: ClientResponse): void => {
    const { method, target: path, fields, minorVersion } = request.head;
    const body = request.body;
    const id = ++lastId;
    const copyBody = method === 'POST';
    const handler = new ForwardingHandler(
      response,
      { id, copyBody, passRaw: minorVersion === 1 },
      options.tap,
      options.timeoutMs,
    );
    const sentAt = monotonicNs();
    const bytes = upstreamRequestBytes(
      method,
      joinPath(prefix, path),
      fields,
      options.upstream.host,
      body.length === 0 && (method === 'GET' || method === 'DELETE') ? null : body,
    );
    // Told before dispatching: a pool that is closing fails the request at once, and the failure must come after it.
    options.tap.request(id, sentAt, method, path, copyBody ? body : null);
    upstream.dispatchBytes(bytes, method, handler);
  };

  const answerLocally = (response: ClientResponse, answer: LocalAnswer): void => {
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  };

  const answer = (request: ReadRequest, response: ClientResponse): void => {
    const { method, target } = request.head;
    if (method === 'GET' && target === options.metricsPath) {
      options.answerMetrics(readHeap()).then(
        (metrics) => answerLocally(response, metrics),
        // The measuring side, which renders them, has counted the failure.
        (error: unknown) =>
          answerLocally(response, {
            status: 500,
            headers: [['content-type', 'text/plain']],
            body: `cannot render the metrics: ${messageOf(error)}\n`,
          }),
      );
      return;
    }
    if (UNSUPPORTED_METHODS.has(method))
      return answerLocally(response, {
        status: 501,
        headers: [['content-type', 'application/json']],
        body: JSON.stringify({ error: { message: `yardstick proxy does not forward ${method} requests` } }),
      });
    forward(request, response);
  };

  const server = await startHttpServer({ host: options.host, port: options.port, onRequest: answer });
  return {
    address: server.address,
    close: async () => {
      await server.close();
      await upstream.close();
      options.tap.close();
    },
  };
}

import { HttpClientError, type HttpDispatcher, type HttpRequest, type ResponseHandler } from './dispatcher.js';
import type { ConnectionOptions } from 'node:tls';
import { endpointOf, Http1Connection, QueuedRequest, type ConnectionOwner, type Origin } from './http1-connection.js';
import { RequestEncoder } from './request-encoder.js';

/**
 * yardstick's own HTTP/1.1 client: keep-alive connections to one origin (http or https), at most `maxConnections`,
 * one request at a time on each, requests beyond that queued in order.
 *
 * Why not undici alone: a load generator spends most of its own CPU in the HTTP client, and on the two cores of a
 * typical CI machine that CPU is taken from the server being measured. undici builds a request object, validates
 * and writes headers and body in separate writes, defers sending to an immediate and parses in WebAssembly; this
 * client writes each request as one pre-encoded buffer and parses only the framing it needs, which roughly halves
 * the cost per request (docs/benchmarks.md). undici stays available per target (`client: undici`).
 */
export class Http1Pool implements HttpDispatcher, ConnectionOwner {
  private readonly origin: Origin;
  private readonly encoder: RequestEncoder;
  private readonly connections = new Set<Http1Connection>();
  /** Idle connections, the most recently used last (reused first: the others may time out and close). */
  private readonly idle: Http1Connection[] = [];
  private queue: QueuedRequest[] = [];
  private queueHead = 0;
  private closing = false;
  private whenClosed: (() => void) | null = null;

  constructor(
    url: URL,
    private readonly maxConnections: number,
    tlsOptions: Pick<ConnectionOptions, 'ca'> = {},
  ) {
    this.origin = { ...endpointOf(url), tls: url.protocol === 'https:', tlsOptions };
    this.encoder = new RequestEncoder(url.host);
  }

  dispatch(request: HttpRequest, handler: ResponseHandler): void {
    this.dispatchBytes(this.encoder.encode(request), request.method, handler);
  }

  /**
   * Sends a request already encoded by the caller (a proxy writes the head it forwards itself): `bytes` is the whole
   * request, head and body, with a `host` header of this pool's origin.
   */
  dispatchBytes(bytes: Buffer, method: string, handler: ResponseHandler): void {
    const queued = new QueuedRequest(bytes, method, handler);
    handler.onConnect(queued);
    if (queued.settled) return;
    if (this.closing) {
      queued.settled = true;
      handler.onError(new HttpClientError('CLIENT_CLOSED', 'the client is closed'));
      return;
    }
    const connection = this.takeIdle() ?? this.openIfRoom();
    if (connection !== null) connection.send(queued);
    else this.queue.push(queued);
  }

  close(): Promise<void> {
    this.closing = true;
    for (const connection of this.idle.splice(0)) connection.destroy();
    return new Promise((resolve) => {
      this.whenClosed = resolve;
      this.resolveIfClosed();
    });
  }

  released(connection: Http1Connection): void {
    const next = this.nextQueued();
    if (next !== null) connection.send(next);
    else if (this.closing) connection.destroy();
    else this.idle.push(connection);
  }

  closed(connection: Http1Connection): void {
    const hadSlot = this.connections.delete(connection);
    const at = this.idle.indexOf(connection);
    if (at !== -1) this.idle.splice(at, 1);
    // A request waiting for a slot gets the one this connection left (unless a resent request took it already).
    if (hadSlot && this.queueHead < this.queue.length) {
      const next = this.nextQueued();
      if (next !== null) this.open().send(next);
    }
    this.resolveIfClosed();
  }

  resend(connection: Http1Connection, request: QueuedRequest): void {
    request.resent = true;
    request.connection = null;
    request.handler.onResend?.();
    // The closing connection's slot passes to the fresh one, so the pool never holds more than its maximum.
    this.connections.delete(connection);
    const fresh = new Http1Connection(this.origin, this);
    this.connections.add(fresh);
    fresh.send(request);
  }

  private takeIdle(): Http1Connection | null {
    const nowMs = performance.now();
    for (let connection = this.idle.pop(); connection !== undefined; connection = this.idle.pop()) {
      if (connection.reusable(nowMs)) return connection;
      connection.destroy();
    }
    return null;
  }

  private openIfRoom(): Http1Connection | null {
    return this.connections.size < this.maxConnections ? this.open() : null;
  }

  private open(): Http1Connection {
    const connection = new Http1Connection(this.origin, this);
    this.connections.add(connection);
    return connection;
  }

  private nextQueued(): QueuedRequest | null {
    while (this.queueHead < this.queue.length) {
      const request = this.queue[this.queueHead] as QueuedRequest;
      this.queueHead += 1;
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.queueHead);
        this.queueHead = 0;
      }
      if (!request.settled) return request;
    }
    return null;
  }

  private resolveIfClosed(): void {
    if (this.closing && this.connections.size === 0 && this.queueHead >= this.queue.length) this.whenClosed?.();
  }
}

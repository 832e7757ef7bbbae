import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { monotonicNs } from '../core/clock.js';
import {
  errorCodeOf,
  HttpClientError,
  PARSE_ERROR_CODE,
  REUSED_CONNECTION,
  type ConnectionPhases,
  type RequestControl,
  type ResponseHandler,
} from './dispatcher.js';
import { ResponseParser, type FeedResult, type ResponseHeaders } from './response-parser.js';

/** One request waiting for, or riding on, a connection; it is also the control its handler aborts it with. */
export class QueuedRequest implements RequestControl {
  /** The connection carrying it; null while it waits in the pool's queue. */
  connection: Http1Connection | null = null;
  /** Set once it has ended (completed, failed or aborted): nothing more reaches its handler. */
  settled = false;
  /** Set once it has been sent again after its reused connection closed before answering. */
  resent = false;

  constructor(
    readonly bytes: Buffer,
    readonly method: string,
    readonly handler: ResponseHandler,
  ) {}

  abort(reason: Error): void {
    if (this.settled) return;
    if (this.connection !== null) {
      this.connection.abort(this, reason);
      return;
    }
    // Still queued: the pool skips it when its turn comes.
    this.settled = true;
    this.handler.onError(reason);
  }
}

/** What a connection tells the pool that owns it. */
export interface ConnectionOwner {
  /** The connection finished a response and can carry another request. */
  released(connection: Http1Connection): void;
  /** The connection is closed and gone. */
  closed(connection: Http1Connection): void;
  /**
   * The connection closed before any byte of the response to `request` arrived, after it had carried others: the
   * server closed it (idle, or after its last response) as the request went out. Send it again on a fresh one.
   */
  resend(connection: Http1Connection, request: QueuedRequest): void;
}

/** Where to connect; `tlsOptions` add to the defaults of an https origin (e.g. a `ca` to trust). */
export interface Origin {
  host: string;
  port: number;
  tls: boolean;
  tlsOptions: Pick<ConnectionOptions, 'ca'>;
}

/** The host to connect to (an IPv6 literal without its brackets) and the port, default for the scheme when absent. */
export function endpointOf(url: URL): { host: string; port: number } {
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
  };
}

/** How long an idle connection is reused when the server does not say (undici's default, below Node's 5 s). */
const DEFAULT_IDLE_REUSE_MS = 4000;
/** Stop reusing this long before the server's announced keep-alive timeout, so a request never meets its close. */
const KEEP_ALIVE_MARGIN_MS = 1000;
const KEEP_ALIVE_TIMEOUT = /timeout=(\d+)/i;
const KEEP_ALIVE_MAX = /max=(\d+)/i;

/**
 * Plain TCP connections read into one buffer per thread instead of a new buffer per read and Node's readable
 * stream: every read is parsed at once and nothing keeps a view of it, so one buffer serves every connection.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

function openSocket(origin: Origin, onData: (data: Buffer) => void): Socket {
  if (!origin.tls)
    return connectTcp({
      host: origin.host,
      port: origin.port,
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes: number, buffer: Uint8Array): boolean => {
          onData(Buffer.from(buffer.buffer, buffer.byteOffset, bytes));
          return true;
        },
      },
    });
  const socket = connectTls({
    ...origin.tlsOptions,
    host: origin.host,
    port: origin.port,
    servername: isIP(origin.host) === 0 ? origin.host : undefined,
    ALPNProtocols: ['http/1.1'],
  });
  socket.setNoDelay(true);
  return socket;
}

/**
 * One keep-alive HTTP/1.1 connection carrying one request at a time. The request goes out in a single write; the
 * response is parsed as it arrives and handed to the request's handler synchronously, chunk by chunk, so the
 * handler's receive times are the times the bytes were read.
 */
export class Http1Connection {
  private readonly socket: Socket;
  private readonly parser: ResponseParser;
  private current: QueuedRequest | null = null;
  private lastError: Error | null = null;
  private gone = false;
  private reuseForMs = DEFAULT_IDLE_REUSE_MS;
  private keepAliveHeader: string | null = null;
  /** Responses completed on this connection. */
  private carried = 0;
  /** The most requests the server lets one connection carry (Keep-Alive `max=`, as first announced). */
  private maxRequests = Number.POSITIVE_INFINITY;
  /** Whether any byte of the current request's response has arrived. */
  private answered = false;
  /** performance.now() when it last became idle. */
  private idleSinceMs = 0;
  /** Monotonic ns when it was opened, its name looked up and its TCP connection made. */
  private readonly openedAt = monotonicNs();
  private lookedUpAt: number | null = null;
  private connectedAt: number | null = null;

  constructor(
    origin: Origin,
    private readonly owner: ConnectionOwner,
  ) {
    this.parser = new ResponseParser({
      onHead: (status, headers) => this.onHead(status, headers),
      onBody: (chunk) => this.current?.handler.onData(chunk),
    });
    this.socket = openSocket(origin, (data) => this.onSocketData(data));
    this.socket.on('data', (data: Buffer) => this.onSocketData(data));
    this.socket.on('lookup', () => {
      this.lookedUpAt = monotonicNs();
    });
    this.socket.on('connect', () => {
      this.connectedAt = monotonicNs();
      if (!origin.tls) this.onReady(null);
    });
    this.socket.on('secureConnect', () => this.onReady(monotonicNs()));
    this.socket.on('end', () => this.onSocketEnd());
    this.socket.on('error', (error: Error) => {
      this.lastError = error;
    });
    this.socket.on('close', () => this.onSocketClose());
  }

  /** Whether it may carry a request now: open, and not idle for so long that the server may be closing it. */
  reusable(nowMs: number): boolean {
    return !this.gone && nowMs - this.idleSinceMs < this.reuseForMs && this.carried < this.maxRequests;
  }

  /** Sends a request on this idle connection. */
  send(request: QueuedRequest): void {
    request.connection = this;
    this.current = request;
    this.answered = false;
    this.parser.reset(request.method);
    this.socket.ref();
    this.socket.write(request.bytes);
    // The first request learns its phases when the connection is ready (onReady).
    if (this.carried > 0) request.handler.onConnection?.(REUSED_CONNECTION);
  }

  /** The connection is ready to carry bytes (connected, and past its TLS handshake): its setup phases go to the request it carries. */
  private onReady(secureAt: number | null): void {
    const lookedUpAt = this.lookedUpAt;
    const connectedAt = this.connectedAt ?? secureAt ?? monotonicNs();
    const phases: ConnectionPhases = {
      reused: false,
      dnsNs: lookedUpAt === null ? null : lookedUpAt - this.openedAt,
      connectNs: connectedAt - (lookedUpAt ?? this.openedAt),
      tlsNs: secureAt === null ? null : secureAt - connectedAt,
    };
    this.current?.handler.onConnection?.(phases);
  }

  /** Ends the request it carries with `reason` and closes the connection (its state mid-response is unknown). */
  abort(request: QueuedRequest, reason: Error): void {
    if (this.current !== request) return;
    this.failCurrent(reason);
    this.destroy();
  }

  /** Closes the connection; a request it carries fails. */
  destroy(): void {
    this.gone = true;
    this.socket.destroy();
  }

  private onHead(statusCode: number, headers: ResponseHeaders): void {
    const keepAlive = headers.get('keep-alive');
    // A server repeats the same Keep-Alive value on every response: read it once.
    if (keepAlive !== undefined && keepAlive !== this.keepAliveHeader) {
      this.keepAliveHeader = keepAlive;
      const seconds = KEEP_ALIVE_TIMEOUT.exec(keepAlive)?.[1];
      if (seconds !== undefined)
        this.reuseForMs = Math.min(DEFAULT_IDLE_REUSE_MS, Number(seconds) * 1000 - KEEP_ALIVE_MARGIN_MS);
      // Servers differ on `max=`: Apache counts down the requests left, cpp-httplib (llama.cpp) repeats its total.
      // The first value bounds both: neither lets a connection carry more requests than it first announced.
      const max = KEEP_ALIVE_MAX.exec(keepAlive)?.[1];
      if (max !== undefined && this.maxRequests === Number.POSITIVE_INFINITY) this.maxRequests = Number(max);
    }
    this.current?.handler.onHeaders(statusCode, headers);
  }

  private onSocketData(data: Buffer): void {
    const request = this.current;
    if (request === null) {
      // Bytes nobody asked for: the connection's framing can no longer be trusted.
      this.destroy();
      return;
    }
    this.answered = true;
    let result: FeedResult;
    try {
      result = this.parser.feed(data);
    } catch (error) {
      // A handler that throws fails its own request; the run, and the other connections, go on.
      this.failCurrent(error instanceof Error ? error : new Error(String(error)));
      this.destroy();
      return;
    }
    if (this.current !== request) return; // the handler aborted the request while reading
    if (result.state === 'error') {
      this.failCurrent(new HttpClientError(PARSE_ERROR_CODE, `malformed HTTP response: ${result.message}`));
      this.destroy();
      return;
    }
    if (request.handler.onRawData !== undefined) {
      // Bytes after the response's end belong to no request: they are not the response's, and are not passed on.
      const raw =
        result.state === 'done' && result.extraBytes > 0 ? data.subarray(0, data.length - result.extraBytes) : data;
      request.handler.onRawData(raw, result.state === 'done' ? result.keepAlive : null);
      if (this.current !== request) return;
    }
    if (result.state === 'more') return;
    this.complete(request, result.keepAlive && result.extraBytes === 0);
  }

  private complete(request: QueuedRequest, keepAlive: boolean): void {
    this.current = null;
    this.carried += 1;
    request.settled = true;
    request.handler.onComplete();
    if (!keepAlive || this.gone || this.carried >= this.maxRequests) {
      this.destroy();
      return;
    }
    this.idleSinceMs = performance.now();
    this.socket.unref();
    this.owner.released(this);
  }

  private onSocketEnd(): void {
    const request = this.current;
    this.gone = true;
    if (request !== null && this.handBackUnanswered(request)) {
      this.socket.destroy();
      return;
    }
    if (request !== null) {
      const result = this.parser.finish();
      if (result.state === 'done') this.complete(request, false);
      else
        this.failCurrent(
          new HttpClientError(
            'SOCKET_CLOSED',
            result.state === 'error' ? result.message : 'the server closed the connection',
          ),
        );
    }
    this.socket.destroy();
  }

  private onSocketClose(): void {
    this.gone = true;
    if (this.current !== null && this.handBackUnanswered(this.current)) {
      this.owner.closed(this);
      return;
    }
    if (this.current !== null) {
      const error = this.lastError;
      this.failCurrent(
        error === null
          ? new HttpClientError('SOCKET_CLOSED', 'the connection closed before the response ended')
          : new HttpClientError(errorCodeOf(error) ?? 'SOCKET_ERROR', error.message),
      );
    }
    this.owner.closed(this);
  }

  /**
   * A request that went out on a reused connection the server closed before answering never reached its handler:
   * it goes back to the pool to be sent once more on a fresh connection. False when that does not apply (the
   * connection was new, part of the response had arrived, or the request was sent again already).
   */
  private handBackUnanswered(request: QueuedRequest): boolean {
    if (this.answered || this.carried === 0 || request.resent) return false;
    this.current = null;
    this.owner.resend(this, request);
    return true;
  }

  private failCurrent(error: Error): void {
    const request = this.current;
    if (request === null) return;
    this.current = null;
    request.settled = true;
    request.handler.onError(error);
  }
}

import type { Socket } from 'node:net';
import { SocketResponse, type ClientResponse } from './client-response.js';
import { fieldOf, type RequestHead, type RequestRefusal } from './request-head.js';
import { RequestParser, type ReadRequest } from './request-parser.js';

/** Answers one request; `response` must be ended (or destroyed) whatever happens. */
export type RequestListener = (request: ReadRequest, response: ClientResponse) => void;

export interface ConnectionSettings {
  /** An idle connection (between requests) is closed after this long. */
  keepAliveTimeoutMs: number;
  /** A request whose head and body have not all arrived this long after its first byte is answered 408. */
  requestTimeoutMs: number;
  maxBodyBytes: number;
}

/** Bytes of pipelined requests held while a response is written; beyond this the client is not read from. */
const MAX_WAITING_BYTES = 1024 * 1024;

/** How long a connection this side has ended waits for the client to close its side before it is cut. */
const LINGER_MS = 5000;

const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');

/** Whether the client lets the connection carry another request after this one (RFC 9112 §9.3). */
function clientKeepsAlive(head: RequestHead): boolean {
  const options = (fieldOf(head, 'connection') ?? '').toLowerCase().split(',');
  const has = (option: string): boolean => options.some((o) => o.trim() === option);
  return head.minorVersion === 1 ? !has('close') : has('keep-alive');
}

/**
 * One client connection of the server: reads its requests in order and answers one at a time (bytes of a
 * pipelined next request wait until the current response has ended), keeps the connection for the next request,
 * and closes it when the client asks, when it idles too long, or when the server stops.
 */
export class ServerConnection {
  private readonly parser: RequestParser;
  private response: SocketResponse | null = null;
  /** Bytes that arrived while a response was being written. */
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  private continued = false;
  private draining = false;
  private clientEnded = false;
  /** Set once this side has ended the connection: whatever the client still sends is dropped. */
  private ending = false;
  /** Runs from a request's first byte until it has all arrived. */
  private requestTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly settings: ConnectionSettings,
    private readonly listener: RequestListener,
    private readonly onGone: (connection: ServerConnection) => void,
  ) {
    this.parser = new RequestParser(settings.maxBodyBytes);
    socket.setNoDelay(true);
    socket.setTimeout(settings.keepAliveTimeoutMs, () => this.timedOut());
    socket.on('data', (data: Buffer) => this.received(data));
    // A client that stops sending has left (as node:http takes it): a response in flight is given up.
    socket.on('end', () => {
      this.clientEnded = true;
      this.response?.closed();
      this.response = null;
      this.end();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.clearRequestTimer();
      this.response?.closed();
      this.response = null;
      onGone(this);
    });
  }

  /** Whether a request is being answered or has partly arrived. */
  get busy(): boolean {
    return this.response !== null || this.parser.midRequest || this.waiting.length > 0;
  }

  /** Ends the connection after the response in flight, or now when there is none. */
  drain(): void {
    this.draining = true;
    if (!this.busy) this.end();
  }

  private end(): void {
    if (this.ending) return;
    this.ending = true;
    this.socket.end();
    // A client that never closes its side would hold the connection open: it gets a moment to read the last bytes.
    setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
  }

  private received(data: Buffer): void {
    if (this.ending) return;
    if (this.response !== null) {
      // A pipelining client waits its turn; one that sends far ahead is not read from until the answer has gone.
      this.waiting.push(data);
      this.waitingBytes += data.length;
      if (this.waitingBytes > MAX_WAITING_BYTES) this.socket.pause();
      return;
    }
    const startsRequest = !this.parser.midRequest;
    const result = this.parser.feed(data);
    if (result.state === 'refused') return this.refuse(result.refusal);
    if (result.state === 'more') {
      // The whole request must arrive within the limit, however slowly its bytes trickle in.
      if (startsRequest) {
        this.socket.setTimeout(0);
        this.requestTimer = setTimeout(() => this.requestTimedOut(), this.settings.requestTimeoutMs);
      }
      if (result.head !== null && !this.continued && result.head.minorVersion === 1) {
        const expect = fieldOf(result.head, 'expect');
        if (expect?.toLowerCase() === '100-continue') {
          this.continued = true;
          this.socket.write(CONTINUE);
        }
      }
      return;
    }
    this.continued = false;
    this.clearRequestTimer();
    // A response may stream for as long as its upstream takes: the upstream's own timeout bounds it.
    this.socket.setTimeout(0);
    const { request, rest } = result;
    const clientKeeps = clientKeepsAlive(request.head);
    const response = new SocketResponse(
      this.socket,
      {
        method: request.head.method,
        minorVersion: request.head.minorVersion,
        keepAlive: () => clientKeeps && !this.draining && !this.clientEnded,
      },
      (reusable) => this.ended(reusable),
    );
    this.response = response;
    if (rest.length > 0) this.waiting.push(rest);
    try {
      this.listener(request, response);
    } catch {
      response.fail();
    }
  }

  private ended(reusable: boolean): void {
    this.response = null;
    if (!reusable || this.draining || this.clientEnded) {
      this.end();
      return;
    }
    this.socket.setTimeout(this.settings.keepAliveTimeoutMs);
    const waiting = this.waiting;
    this.waiting = [];
    this.waitingBytes = 0;
    this.socket.resume();
    for (const data of waiting) {
      if (this.socket.destroyed) return;
      this.received(data);
    }
  }

  private refuse(refusal: RequestRefusal): void {
    const response = new SocketResponse(this.socket, { method: 'GET', minorVersion: 1, keepAlive: () => false }, () =>
      this.end(),
    );
    this.response = response;
    response.writeHead(refusal.status, [['content-type', 'text/plain']]);
    response.end(`${refusal.message}\n`);
  }

  /** The connection idled between requests for longer than the keep-alive limit. */
  private timedOut(): void {
    if (this.response === null && !this.parser.midRequest) this.socket.destroy();
  }

  private requestTimedOut(): void {
    this.requestTimer = null;
    if (this.response !== null || this.ending || !this.parser.midRequest) return;
    this.refuse({ status: 408, message: 'the request did not arrive in time' });
  }

  private clearRequestTimer(): void {
    if (this.requestTimer !== null) clearTimeout(this.requestTimer);
    this.requestTimer = null;
  }
}

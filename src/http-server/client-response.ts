import type { Socket } from 'node:net';

/** A header field to send: lower-case name and value. Repeated names are sent as separate lines. */
export type HeaderField = readonly [string, string];

/** The answer to one request, written straight to the client's connection. */
export interface ClientResponse {
  /** Whether the status line and headers have gone out. */
  readonly headersSent: boolean;
  /** Whether the response ended or the connection is gone: writing more does nothing. */
  readonly finished: boolean;
  /**
   * Sets the status and headers. They leave with the first piece of the body, or on `flushHead`. The body is framed
   * by the `content-length` given, else chunked (HTTP/1.1), else by closing the connection (HTTP/1.0).
   */
  writeHead(status: number, fields: Iterable<HeaderField>): void;
  /** Sends the head now, before any body. */
  flushHead(): void;
  /** Sends a piece of the body; the bytes are copied, so the caller may reuse `chunk` once this returns. */
  write(chunk: Buffer): void;
  /** Ends the response, with a last piece of body. */
  end(last?: Buffer | string): void;
  /**
   * Sends bytes of a whole HTTP response framed by whoever made it (a proxied response passed on unchanged, status line
   * and transfer coding included), instead of `writeHead`/`write`. The bytes are copied.
   */
  pass(bytes: Buffer): void;
  /** Ends a response sent with `pass`; `reusable`: its framing lets the connection carry another response. */
  endPassed(reusable: boolean): void;
  /** Cuts the connection: what the client got is all it gets (a response that broke after its head). */
  destroy(): void;
  /** Called once if the client's connection goes away before the response ended. */
  onClose(listener: () => void): void;
}

type Framing = 'length' | 'chunked' | 'close' | 'none';

const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');
const EMPTY = Buffer.alloc(0);

/** Reason phrases are optional (RFC 9112 §4); these are the ones a proxy answers with itself. */
const REASONS: Record<number, string> = {
  100: 'Continue',
  200: 'OK',
  400: 'Bad Request',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Content Too Large',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
};

/** Field values that could end a line are never written (a value from upstream is passed on only if it is clean). */
const UNSAFE_VALUE = /[\r\n\0]/;

/** Framing and connection fields this writer sets itself, never taken from the caller. */
const OWN_FRAMING = new Set(['transfer-encoding', 'connection', 'keep-alive']);

let dateSecond = -1;
let dateText = '';

/** The Date header's value, made once a second. */
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

export interface ResponseContext {
  /** The request's method: a HEAD's response has no body. */
  method: string;
  /** The client's HTTP minor version: an HTTP/1.0 client cannot read chunks. */
  minorVersion: number;
  /** Whether the connection may carry another request after this one (asked when the head is written). */
  keepAlive: () => boolean;
}

/**
 * A response written to a socket: the head kept until the first piece of body (so both leave in one packet), the
 * pieces of one turn of the event loop joined into one write, and the connection handed back (`onEnd`) when done.
 */
export class SocketResponse implements ClientResponse {
  headersSent = false;
  finished = false;
  private head: Buffer | null = null;
  private framing: Framing = 'chunked';
  /** Bytes to write at the end of this turn of the event loop. */
  private pending: Buffer[] = [];
  private flushScheduled = false;
  private closeListener: (() => void) | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly context: ResponseContext,
    /** The response ended; `reusable`: the connection may carry the next request. */
    private readonly onEnd: (reusable: boolean) => void,
  ) {}

  writeHead(status: number, fields: Iterable<HeaderField>): void {
    if (this.head !== null || this.headersSent) throw new Error('the response head was already written');
    const lines: string[] = [`HTTP/1.1 ${status} ${REASONS[status] ?? ''}`];
    let length: string | null = null;
    let dated = false;
    for (const [name, value] of fields) {
      if (UNSAFE_VALUE.test(value) || UNSAFE_VALUE.test(name) || OWN_FRAMING.has(name)) continue;
      if (name === 'content-length') {
        length = value;
        continue;
      }
      if (name === 'date') dated = true;
      lines.push(`${name}: ${value}`);
    }
    if (!dated) lines.push(`date: ${httpDate()}`);
    const bodiless = this.context.method === 'HEAD' || status === 204 || status === 304 || status < 200;
    if (length !== null && status !== 204 && status !== 304) lines.push(`content-length: ${length}`);
    this.framing = bodiless
      ? 'none'
      : length !== null
        ? 'length'
        : this.context.minorVersion === 1
          ? 'chunked'
          : 'close';
    if (this.framing === 'chunked') lines.push('transfer-encoding: chunked');
    if (!this.reusable()) lines.push('connection: close');
    else if (this.context.minorVersion === 0) lines.push('connection: keep-alive');
    this.head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  }

  flushHead(): void {
    if (this.head === null || this.finished) return;
    this.send(this.head);
    this.head = null;
    this.headersSent = true;
  }

  write(chunk: Buffer): void {
    if (this.finished) return;
    if (this.head === null && !this.headersSent) this.writeHead(200, []);
    this.flushHead();
    if (chunk.length === 0 || this.framing === 'none') return;
    if (this.framing !== 'chunked') return this.send(Buffer.from(chunk));
    // One buffer per chunk, its size line and CRLF around a copy of the bytes.
    const size = chunk.length.toString(16);
    const framed = Buffer.allocUnsafe(size.length + chunk.length + 4);
    framed.write(size, 0, 'latin1');
    framed[size.length] = 13;
    framed[size.length + 1] = 10;
    chunk.copy(framed, size.length + 2);
    framed[framed.length - 2] = 13;
    framed[framed.length - 1] = 10;
    this.send(framed);
  }

  end(last?: Buffer | string): void {
    if (this.finished) return;
    if (last !== undefined) {
      const body = typeof last === 'string' ? Buffer.from(last) : last;
      if (!this.headersSent && this.head === null) this.writeHead(200, [['content-length', String(body.length)]]);
      this.write(body);
    } else this.flushHead();
    if (this.framing === 'chunked') this.send(LAST_CHUNK);
    this.finished = true;
    // Written now: the connection may be ended or handed to the next request as soon as `onEnd` returns.
    this.flushPending();
    this.onEnd(this.reusable());
  }

  pass(bytes: Buffer): void {
    if (this.finished || bytes.length === 0) return;
    if (this.head !== null) throw new Error('a passed response cannot follow a written head');
    this.headersSent = true;
    // Copied: the reader that handed the bytes over may reuse their memory before the socket has written them.
    const copy = Buffer.from(bytes);
    if (this.pending.length > 0 || this.socket.destroyed) this.send(copy);
    else this.socket.write(copy);
  }

  endPassed(reusable: boolean): void {
    if (this.finished) return;
    this.finished = true;
    this.flushPending();
    this.onEnd(reusable && this.context.keepAlive());
  }

  destroy(): void {
    if (this.finished) return;
    this.finished = true;
    this.socket.destroy();
  }

  /** The code answering failed: a 500 when nothing was written yet, else the connection is cut. */
  fail(): void {
    if (this.finished) return;
    if (this.head !== null || this.headersSent) return this.destroy();
    this.writeHead(500, [['content-type', 'text/plain']]);
    this.end('the server failed to answer\n');
  }

  onClose(listener: () => void): void {
    this.closeListener = listener;
  }

  /** The client's connection went away. */
  closed(): void {
    if (this.finished) return;
    this.finished = true;
    this.closeListener?.();
  }

  /** Whether the connection stays open after this response. */
  private reusable(): boolean {
    return this.context.keepAlive() && this.framing !== 'close';
  }

  /** Writes of one turn of the event loop leave together, in one write of one buffer. */
  private send(bytes: Buffer): void {
    this.pending.push(bytes);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(() => this.flushPending());
  }

  private flushPending(): void {
    this.flushScheduled = false;
    const pending = this.pending;
    if (pending.length === 0 || this.socket.destroyed) return;
    this.pending = [];
    this.socket.write(pending.length === 1 ? (pending[0] ?? EMPTY) : Buffer.concat(pending));
  }
}

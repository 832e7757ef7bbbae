/**
 * An incremental HTTP/1.1 response parser (RFC 9112) for a client that sends one request at a time on a
 * connection. It reads the status line and headers, then frames the body by the rules of RFC 9112 §6.3:
 * no body for 1xx, 204, 304 and HEAD; chunked when chunked is the last transfer coding; else Content-Length;
 * else everything until the server closes. Body bytes are handed on as views of the received buffers, never copied.
 */

import { ResponseHead, type ResponseHeaders } from './response-head.js';

export type { ResponseHeaders } from './response-head.js';

/** What the parser reports about the one response it is reading. */
export interface ResponseEvents {
  /** The final (non-1xx) status and headers. */
  onHead(statusCode: number, headers: ResponseHeaders): void;
  /** A piece of the body (transfer coding removed), a view of a received buffer. */
  onBody(chunk: Buffer): void;
}

/** After a feed: reading on, the response is complete (`keepAlive`: the connection may carry another), or broken. */
export type FeedResult =
  { state: 'more' } | { state: 'done'; keepAlive: boolean; extraBytes: number } | { state: 'error'; message: string };

/** A response head larger than this is refused (servers limit request heads to 8–64 KiB; responses are similar). */
const MAX_HEAD_BYTES = 64 * 1024;
/** A chunk-size line or trailer line longer than this is refused. */
const MAX_LINE_BYTES = 8 * 1024;

const CR = 13;
const LF = 10;
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const HEX_SIZE = /^[0-9A-Fa-f]{1,13}$/;
const DIGITS = /^\d{1,15}$/;

type Framing = { kind: 'none' } | { kind: 'length'; remaining: number } | { kind: 'chunked' } | { kind: 'close' };
type Phase =
  | 'head'
  | 'body-length'
  | 'chunk-size'
  | 'chunk-data'
  | 'chunk-data-end'
  | 'trailer'
  | 'until-close'
  | 'done'
  | 'failed';

const MORE: FeedResult = { state: 'more' };
/** Framings without state are shared; a length framing counts down, so each response gets its own. */
const NO_BODY: Framing = { kind: 'none' };
const CHUNKED: Framing = { kind: 'chunked' };
const UNTIL_CLOSE: Framing = { kind: 'close' };
const DONE_KEEP_ALIVE: FeedResult = { state: 'done', keepAlive: true, extraBytes: 0 };
const DONE_CLOSE: FeedResult = { state: 'done', keepAlive: false, extraBytes: 0 };

/** The body's framing from the status and headers (RFC 9112 §6.3); a string is the error. */
function framingOf(statusCode: number, headers: ResponseHeaders, requestMethod: string): Framing | string {
  if (requestMethod === 'HEAD' || statusCode === 204 || statusCode === 304 || statusCode < 200) return NO_BODY;
  const transferEncoding = headers.get('transfer-encoding');
  if (transferEncoding !== undefined) {
    const codings = transferEncoding
      .split(',')
      .map((c) => c.trim().toLowerCase())
      .filter((c) => c !== '');
    return codings[codings.length - 1] === 'chunked' ? CHUNKED : UNTIL_CLOSE;
  }
  const contentLength = headers.get('content-length');
  if (contentLength !== undefined) {
    if (DIGITS.test(contentLength)) return { kind: 'length', remaining: Number(contentLength) };
    const values = contentLength.split(',').map((v) => v.trim());
    const first = values[0] ?? '';
    if (!DIGITS.test(first) || values.some((v) => v !== first))
      return `invalid content-length '${contentLength.slice(0, 40)}'`;
    return { kind: 'length', remaining: Number(first) };
  }
  return UNTIL_CLOSE;
}

/** Whether the connection may carry another request after this response (RFC 9112 §9.3). */
function keepsAlive(minorVersion: number, headers: ResponseHeaders, framing: Framing): boolean {
  if (framing.kind === 'close') return false;
  const both = framing.kind === 'chunked' && headers.has('content-length');
  const header = headers.get('connection');
  if (header === undefined || header === 'keep-alive') return (minorVersion === 1 || header === 'keep-alive') && !both;
  const connection = header.toLowerCase();
  const options = connection.split(',').map((o) => o.trim());
  if (options.includes('close')) return false;
  if (minorVersion === 0) return options.includes('keep-alive');
  // A response framed by both Transfer-Encoding and Content-Length may be an attack on framing: do not reuse.
  return !both;
}

/** Reads HTTP/1.1 responses from a byte stream fed in arbitrary pieces: one response, then `reset` for the next. */
export class ResponseParser {
  private phase: Phase = 'head';
  private bytesSeen = false;
  /** Head bytes received so far (heads are small; body bytes are never accumulated). */
  private headBuffer: Buffer | null = null;
  /** A chunk-size or trailer line split across feeds. */
  private line = '';
  private chunkRemaining = 0;
  /** Bytes of a chunk's closing CRLF still expected. */
  private crlfRemaining = 0;
  private keepAlive = false;
  private framing: Framing = NO_BODY;
  private readonly head = new ResponseHead();

  constructor(
    private readonly events: ResponseEvents,
    private requestMethod = 'POST',
  ) {}

  /** Prepares for the response to the next request on the connection. */
  reset(requestMethod: string): void {
    this.phase = 'head';
    this.bytesSeen = false;
    this.headBuffer = null;
    this.line = '';
    this.chunkRemaining = 0;
    this.crlfRemaining = 0;
    this.keepAlive = false;
    this.framing = NO_BODY;
    this.requestMethod = requestMethod;
  }

  /** Whether any byte of the response has arrived. */
  get started(): boolean {
    return this.bytesSeen;
  }

  /** Feeds the next received bytes. */
  feed(data: Buffer): FeedResult {
    if (data.length > 0) this.bytesSeen = true;
    let offset = 0;
    while (offset < data.length) {
      switch (this.phase) {
        case 'head': {
          const result = this.readHead(data, offset);
          if (typeof result === 'string') return this.fail(result);
          if (result === -1) return MORE;
          offset = result;
          break;
        }
        case 'body-length': {
          const framing = this.framing as { kind: 'length'; remaining: number };
          const take = Math.min(framing.remaining, data.length - offset);
          this.events.onBody(data.subarray(offset, offset + take));
          framing.remaining -= take;
          offset += take;
          if (framing.remaining === 0) this.phase = 'done';
          break;
        }
        case 'chunk-size':
        case 'trailer': {
          const end = data.indexOf(LF, offset);
          if (end === -1) {
            this.line += data.toString('latin1', offset, data.length);
            if (this.line.length > MAX_LINE_BYTES) return this.fail('a chunk-size or trailer line is too long');
            return MORE;
          }
          const text = this.line + data.toString('latin1', offset, end);
          this.line = '';
          offset = end + 1;
          if (!text.endsWith('\r')) return this.fail('a chunk-size or trailer line does not end in CRLF');
          const error =
            this.phase === 'chunk-size' ? this.onChunkSize(text.slice(0, -1)) : this.onTrailerLine(text.slice(0, -1));
          if (error !== null) return this.fail(error);
          break;
        }
        case 'chunk-data': {
          const take = Math.min(this.chunkRemaining, data.length - offset);
          this.events.onBody(data.subarray(offset, offset + take));
          this.chunkRemaining -= take;
          offset += take;
          if (this.chunkRemaining === 0) {
            this.phase = 'chunk-data-end';
            this.crlfRemaining = 2;
          }
          break;
        }
        case 'chunk-data-end': {
          const expected = this.crlfRemaining === 2 ? CR : LF;
          if (data[offset] !== expected) return this.fail('chunk data is not followed by CRLF');
          offset += 1;
          this.crlfRemaining -= 1;
          if (this.crlfRemaining === 0) this.phase = 'chunk-size';
          break;
        }
        case 'until-close':
          this.events.onBody(offset === 0 ? data : data.subarray(offset));
          return MORE;
        case 'done':
          // Bytes beyond the response: the server sent more than one response to one request.
          return { state: 'done', keepAlive: false, extraBytes: data.length - offset };
        case 'failed':
          return this.fail('the response was already broken');
      }
    }
    if (this.phase !== 'done') return MORE;
    return this.keepAlive ? DONE_KEEP_ALIVE : DONE_CLOSE;
  }

  /** The server closed the connection: completes a response framed by the close, else fails. */
  finish(): FeedResult {
    if (this.phase === 'until-close' || this.phase === 'done') {
      this.phase = 'done';
      return DONE_CLOSE;
    }
    return this.fail(
      this.started
        ? 'the server closed the connection before the response ended'
        : 'the server closed the connection without answering',
    );
  }

  private fail(message: string): FeedResult {
    this.phase = 'failed';
    return { state: 'error', message };
  }

  /** Accumulates head bytes; returns the offset after the head, -1 for more bytes needed, or an error. */
  private readHead(data: Buffer, offset: number): number | string {
    const previousLength = this.headBuffer?.length ?? 0;
    const buffer =
      this.headBuffer === null
        ? offset === 0
          ? data
          : data.subarray(offset)
        : Buffer.concat([this.headBuffer, data.subarray(offset)]);
    const end = buffer.indexOf(HEAD_END, Math.max(0, previousLength - 3));
    if (end === -1) {
      if (buffer.length > MAX_HEAD_BYTES) return `the response head is larger than ${MAX_HEAD_BYTES} bytes`;
      // Keep a copy: the caller's buffer may be reused once this feed returns.
      this.headBuffer = this.headBuffer === null ? Buffer.from(buffer) : buffer;
      return -1;
    }
    const consumedFromData = end + 4 - previousLength;
    this.headBuffer = null;
    const headers = this.head;
    const error = headers.read(buffer.toString('latin1', 0, end));
    if (error !== null) return error;
    const { statusCode, minorVersion } = headers;
    if (statusCode === 101) return 'the server switched protocols (101), which was not asked for';
    if (statusCode < 200) return offset + consumedFromData; // an interim response: the final one follows
    const framing = framingOf(statusCode, headers, this.requestMethod);
    if (typeof framing === 'string') return framing;
    this.framing = framing;
    this.keepAlive = keepsAlive(minorVersion, headers, framing);
    this.events.onHead(statusCode, headers);
    this.phase =
      framing.kind === 'none'
        ? 'done'
        : framing.kind === 'length'
          ? framing.remaining === 0
            ? 'done'
            : 'body-length'
          : framing.kind === 'chunked'
            ? 'chunk-size'
            : 'until-close';
    return offset + consumedFromData;
  }

  private onChunkSize(line: string): string | null {
    const semicolon = line.indexOf(';');
    const size = (semicolon === -1 ? line : line.slice(0, semicolon)).trim();
    if (!HEX_SIZE.test(size)) return `invalid chunk size '${line.slice(0, 40)}'`;
    this.chunkRemaining = parseInt(size, 16);
    this.phase = this.chunkRemaining === 0 ? 'trailer' : 'chunk-data';
    return null;
  }

  private onTrailerLine(line: string): string | null {
    // Trailer fields are read past: nothing yardstick measures is sent in them.
    if (line === '') this.phase = 'done';
    return null;
  }
}

/**
 * An incremental HTTP/1.1 request reader for a server (RFC 9112): the head, then the body framed by Content-Length
 * or by chunked transfer coding, gathered whole (the requests a model server takes are a few kilobytes to a few
 * megabytes). Requests that could be read two ways — Transfer-Encoding with Content-Length, or several different
 * lengths — are refused rather than guessed at, since a proxy and its upstream reading one request differently is
 * how requests are smuggled.
 */

import { fieldOf, isRefusal, readRequestHead, type RequestHead, type RequestRefusal } from './request-head.js';

/** A request read whole: its head and its body (empty when it had none). */
export interface ReadRequest {
  head: RequestHead;
  body: Buffer;
}

/** After a feed: more bytes needed (`head` once the head is read), a request complete, or one refused. */
export type RequestFeed =
  | { state: 'more'; head: RequestHead | null }
  | { state: 'request'; request: ReadRequest; rest: Buffer }
  | { state: 'refused'; refusal: RequestRefusal };

/** Request heads larger than this are refused with 431 (servers allow 8–64 KiB). */
export const MAX_HEAD_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 8 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const DIGITS = /^\d{1,15}$/;
const HEX_SIZE = /^[0-9A-Fa-f]{1,13}$/;
const EMPTY = Buffer.alloc(0);

type Phase = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-data-end' | 'trailer';

/** Reads the requests of one connection, one after the other. */
export class RequestParser {
  private phase: Phase = 'head';
  private pending: Buffer = EMPTY;
  private head: RequestHead | null = null;
  private pieces: Buffer[] = [];
  private bodyBytes = 0;
  private remaining = 0;

  constructor(private readonly maxBodyBytes: number) {}

  /** Whether part of a request has arrived and the rest has not. */
  get midRequest(): boolean {
    return this.phase !== 'head' || this.pending.length > 0;
  }

  /** Feeds received bytes; a completed request hands back the bytes after it (a pipelined next request). */
  feed(data: Buffer): RequestFeed {
    const buffer = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    this.pending = EMPTY;
    let offset = 0;
    while (true) {
      if (this.phase === 'head') {
        const end = buffer.indexOf(HEAD_END, offset);
        if (end === -1) {
          if (buffer.length - offset > MAX_HEAD_BYTES) return this.refuse(431, 'the request head is too large');
          this.pending = Buffer.from(buffer.subarray(offset));
          return { state: 'more', head: null };
        }
        if (end - offset > MAX_HEAD_BYTES) return this.refuse(431, 'the request head is too large');
        const head = readRequestHead(buffer.toString('latin1', offset, end));
        if (isRefusal(head)) return { state: 'refused', refusal: head };
        offset = end + 4;
        const framing = this.startBody(head);
        if (framing !== null) return { state: 'refused', refusal: framing };
        this.head = head;
        if (this.phase === 'head') return this.complete(buffer, offset);
        if (offset === buffer.length) return { state: 'more', head };
        continue;
      }
      if (offset >= buffer.length) return { state: 'more', head: this.head };
      switch (this.phase) {
        case 'length':
        case 'chunk-data': {
          const take = Math.min(this.remaining, buffer.length - offset);
          this.pieces.push(buffer.subarray(offset, offset + take));
          this.remaining -= take;
          offset += take;
          if (this.remaining > 0) break;
          if (this.phase === 'length') return this.complete(buffer, offset);
          this.phase = 'chunk-data-end';
          this.remaining = 2;
          break;
        }
        case 'chunk-data-end': {
          if (buffer[offset] !== (this.remaining === 2 ? 13 : 10))
            return this.refuse(400, 'chunk data is not followed by CRLF');
          offset += 1;
          this.remaining -= 1;
          if (this.remaining === 0) this.phase = 'chunk-size';
          break;
        }
        case 'chunk-size':
        case 'trailer': {
          const lineEnd = buffer.indexOf(10, offset);
          if (lineEnd === -1) {
            if (buffer.length - offset > MAX_LINE_BYTES) return this.refuse(400, 'a chunk-size line is too long');
            this.pending = Buffer.from(buffer.subarray(offset));
            return { state: 'more', head: this.head };
          }
          const line = buffer.toString('latin1', offset, lineEnd);
          offset = lineEnd + 1;
          if (!line.endsWith('\r')) return this.refuse(400, 'a chunk-size or trailer line does not end in CRLF');
          if (this.phase === 'trailer') {
            if (line === '\r') return this.complete(buffer, offset);
            break;
          }
          const semicolon = line.indexOf(';');
          const size = (semicolon === -1 ? line.slice(0, -1) : line.slice(0, semicolon)).trim();
          if (!HEX_SIZE.test(size)) return this.refuse(400, `invalid chunk size '${line.slice(0, 40).trim()}'`);
          const bytes = parseInt(size, 16);
          if (this.bodyBytes + bytes > this.maxBodyBytes) return { state: 'refused', refusal: this.tooLargeRefusal() };
          this.bodyBytes += bytes;
          this.remaining = bytes;
          this.phase = bytes === 0 ? 'trailer' : 'chunk-data';
          break;
        }
      }
    }
  }

  /** Sets how the body is framed; a refusal when it cannot be read one way only. */
  private startBody(head: RequestHead): RequestRefusal | null {
    this.pieces = [];
    this.bodyBytes = 0;
    const transferEncoding = fieldOf(head, 'transfer-encoding');
    const contentLength = fieldOf(head, 'content-length');
    if (transferEncoding !== undefined) {
      if (contentLength !== undefined)
        return { status: 400, message: 'the request has both Transfer-Encoding and Content-Length' };
      if (head.minorVersion === 0) return { status: 400, message: 'an HTTP/1.0 request cannot be chunked' };
      const codings = transferEncoding
        .split(',')
        .map((c) => c.trim().toLowerCase())
        .filter((c) => c !== '');
      if (codings.length !== 1 || codings[0] !== 'chunked')
        return {
          status: codings.at(-1) === 'chunked' ? 501 : 400,
          message: `transfer coding '${transferEncoding.slice(0, 40)}' is not served; send the body chunked or with a Content-Length`,
        };
      this.phase = 'chunk-size';
      return null;
    }
    if (contentLength === undefined) {
      this.phase = 'head';
      return null;
    }
    const values = contentLength.split(',').map((v) => v.trim());
    const first = values[0] ?? '';
    if (!DIGITS.test(first) || values.some((v) => v !== first))
      return { status: 400, message: `invalid Content-Length '${contentLength.slice(0, 40)}'` };
    const length = Number(first);
    if (length > this.maxBodyBytes) return this.tooLargeRefusal();
    this.remaining = length;
    this.phase = length === 0 ? 'head' : 'length';
    return null;
  }

  private complete(buffer: Buffer, offset: number): RequestFeed {
    const head = this.head;
    this.head = null;
    this.phase = 'head';
    const pieces = this.pieces;
    this.pieces = [];
    if (head === null) return this.refuse(400, 'a body without a head');
    // Body pieces are views of received buffers; one piece is kept as is, several are joined once.
    const body = pieces.length === 0 ? EMPTY : pieces.length === 1 ? (pieces[0] ?? EMPTY) : Buffer.concat(pieces);
    return {
      state: 'request',
      request: { head, body },
      rest: offset < buffer.length ? buffer.subarray(offset) : EMPTY,
    };
  }

  private tooLargeRefusal(): RequestRefusal {
    return { status: 413, message: `the request body is larger than ${this.maxBodyBytes} bytes` };
  }

  private refuse(status: RequestRefusal['status'], message: string): RequestFeed {
    return { state: 'refused', refusal: { status, message } };
  }
}

import { describe, expect, it } from 'vitest';
import { ResponseParser, type FeedResult } from './response-parser.js';

interface Parsed {
  status: number | null;
  headers: Record<string, string>;
  fields: [string, string][];
  body: string;
  results: FeedResult[];
}

/** Feeds `pieces` in order (then, with `close`, the end of the stream) and collects what the parser reported. */
function parse(pieces: readonly (string | Buffer)[], options: { method?: string; close?: boolean } = {}): Parsed {
  const parsed: Parsed = { status: null, headers: {}, fields: [], body: '', results: [] };
  const bodyParts: Buffer[] = [];
  const parser = new ResponseParser(
    {
      onHead: (status, headers) => {
        parsed.status = status;
        parsed.headers = Object.fromEntries(headers.entries());
        parsed.fields = [...headers.fields()];
      },
      // Copied: the parser hands out views of the fed buffers.
      onBody: (chunk) => bodyParts.push(Buffer.from(chunk)),
    },
    options.method ?? 'POST',
  );
  for (const piece of pieces)
    parsed.results.push(parser.feed(typeof piece === 'string' ? Buffer.from(piece, 'latin1') : piece));
  if (options.close === true) parsed.results.push(parser.finish());
  parsed.body = Buffer.concat(bodyParts).toString('utf8');
  return parsed;
}

/** Every way of cutting `text` in two, plus one byte at a time. */
function splits(text: string): string[][] {
  const out: string[][] = [[text], text.split('')];
  for (let at = 1; at < text.length; at += 1) out.push([text.slice(0, at), text.slice(at)]);
  return out;
}

const last = (p: Parsed): FeedResult | undefined => p.results[p.results.length - 1];

const LENGTH_RESPONSE =
  'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 16\r\nKeep-Alive: timeout=5\r\n\r\n{"output":"ok"}\n';
const CHUNKED_RESPONSE = [
  'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n',
  '6\r\ndata: \r\n',
  'C;name=value\r\n{"a":"é"}\n\n\r\n',
  '0\r\nX-Trailer: t\r\n\r\n',
].join('');

describe('ResponseParser', () => {
  it('reads a Content-Length response however its bytes are split', () => {
    for (const pieces of splits(LENGTH_RESPONSE)) {
      const p = parse(pieces);
      expect(p.status).toBe(200);
      expect(p.headers['content-type']).toBe('application/json');
      expect(p.headers['keep-alive']).toBe('timeout=5');
      expect(p.body).toBe('{"output":"ok"}\n');
      expect(last(p)).toEqual({ state: 'done', keepAlive: true, extraBytes: 0 });
      // Nothing is reported done before the last byte arrives.
      expect(p.results.slice(0, -1).every((r) => r.state === 'more')).toBe(true);
    }
  });

  it('decodes chunked bodies with extensions and trailers however their bytes are split', () => {
    const utf8 = Buffer.from(CHUNKED_RESPONSE, 'utf8');
    for (let cut = 1; cut < utf8.length; cut += 1) {
      const p = parse([utf8.subarray(0, cut), utf8.subarray(cut)]);
      expect(p.body).toBe('data: {"a":"é"}\n\n');
      expect(last(p)).toEqual({ state: 'done', keepAlive: true, extraBytes: 0 });
    }
    const oneByteAtATime = parse(Array.from(utf8, (b) => Buffer.from([b])));
    expect(oneByteAtATime.body).toBe('data: {"a":"é"}\n\n');
    expect(last(oneByteAtATime)?.state).toBe('done');
  });

  it('skips interim 1xx responses and reads the final one', () => {
    const p = parse(['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n', LENGTH_RESPONSE]);
    expect(p.status).toBe(200);
    expect(p.body).toBe('{"output":"ok"}\n');
    expect(last(p)?.state).toBe('done');
  });

  it('reads no body for 204, 304 and HEAD, and reads to the close when nothing frames the body', () => {
    expect(last(parse(['HTTP/1.1 204 No Content\r\n\r\n']))).toEqual({ state: 'done', keepAlive: true, extraBytes: 0 });
    expect(last(parse(['HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n']))?.state).toBe('done');
    expect(last(parse(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'], { method: 'HEAD' }))?.state).toBe('done');
    const untilClose = parse(['HTTP/1.1 200 OK\r\n\r\nabc', 'def'], { close: true });
    expect(untilClose.body).toBe('abcdef');
    expect(untilClose.results.map((r) => r.state)).toEqual(['more', 'more', 'done']);
    expect(last(untilClose)).toEqual({ state: 'done', keepAlive: false, extraBytes: 0 });
    const zero = parse(['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n']);
    expect(zero.body).toBe('');
    expect(last(zero)?.state).toBe('done');
  });

  it('keeps the connection only when HTTP/1.1 and the server allow it', () => {
    const keepAlive = (head: string): boolean | undefined => {
      const r = last(parse([`${head}\r\nContent-Length: 2\r\n\r\nok`]));
      return r?.state === 'done' ? r.keepAlive : undefined;
    };
    expect(keepAlive('HTTP/1.1 200 OK')).toBe(true);
    expect(keepAlive('HTTP/1.1 200 OK\r\nConnection: close')).toBe(false);
    expect(keepAlive('HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Close')).toBe(false);
    expect(keepAlive('HTTP/1.0 200 OK')).toBe(false);
    expect(keepAlive('HTTP/1.0 200 OK\r\nConnection: keep-alive')).toBe(true);
    // Both framings at once: chunked wins (RFC 9112 §6.3) and the connection is not trusted again.
    const both = parse([
      'HTTP/1.1 200 OK\r\nContent-Length: 50\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
    ]);
    expect(both.body).toBe('ok');
    expect(last(both)).toEqual({ state: 'done', keepAlive: false, extraBytes: 0 });
  });

  it('joins repeated headers, unfolds folded ones and accepts identical repeated lengths', () => {
    const p = parse([
      'HTTP/1.1 200 OK\r\nX-A: 1\r\nx-a: 2\r\nX-Folded: one\r\n  two\r\nContent-Length: 2, 2\r\n\r\nok',
    ]);
    expect(p.headers['x-a']).toBe('1, 2');
    expect(p.headers['x-folded']).toBe('one two');
    expect(p.body).toBe('ok');
  });

  it('reports bytes beyond the response', () => {
    expect(last(parse([`${LENGTH_RESPONSE}HTTP/1.1 200 OK\r\n`]))).toEqual({
      state: 'done',
      keepAlive: false,
      extraBytes: 17,
    });
  });

  it('refuses what breaks the protocol, saying what', () => {
    const error = (pieces: string[], close = false): string => {
      const r = last(parse(pieces, { close }));
      return r?.state === 'error' ? r.message : `no error (${r?.state ?? 'nothing'})`;
    };
    expect(error(['HTTP/2 200\r\n\r\n'])).toContain('not an HTTP/1.x status line');
    expect(error(['garbage\r\n\r\n'])).toContain('not an HTTP/1.x status line');
    expect(error(['HTTP/1.1 200 OK\r\nno colon\r\n\r\n'])).toContain('has no name');
    expect(error(['HTTP/1.1 200 OK\r\nbad name: x\r\n\r\n'])).toContain('not a token');
    expect(error(['HTTP/1.1 200 OK\r\n folded first\r\n\r\n'])).toContain('folded header line');
    expect(error(['HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\n'])).toContain('invalid content-length');
    expect(error(['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'])).toContain('invalid content-length');
    expect(error(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'])).toContain('invalid chunk size');
    expect(error(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX'])).toContain('not followed by CRLF');
    expect(error(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nok'])).toContain('does not end in CRLF');
    expect(error(['HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n'])).toContain('switched protocols');
    expect(error([`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(70_000)}`])).toContain('response head is larger');
    expect(error(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', '1'.repeat(9000)])).toContain('too long');
    expect(error(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'], true)).toContain(
      'closed the connection before the response ended',
    );
    expect(error([], true)).toContain('closed the connection without answering');
  });

  it('reads the next response after a reset', () => {
    const bodies: string[] = [];
    const parser = new ResponseParser({ onHead: () => undefined, onBody: (c) => bodies.push(c.toString()) });
    for (let i = 0; i < 3; i += 1) {
      parser.reset('POST');
      expect(parser.started).toBe(false);
      expect(parser.feed(Buffer.from(LENGTH_RESPONSE))).toEqual({ state: 'done', keepAlive: true, extraBytes: 0 });
      expect(parser.started).toBe(true);
    }
    expect(bodies).toEqual(Array(3).fill('{"output":"ok"}\n'));
  });

  it('gives each field line apart, repeated ones included, folded continuations joined', () => {
    const head =
      'HTTP/1.1 200 OK\r\nSet-Cookie: a=1; Path=/\r\nX-Long: one\r\n  two\r\nset-cookie: b=2\r\nContent-Length: 0\r\n\r\n';
    const parsed = parse([head]);
    expect(parsed.fields).toEqual([
      ['set-cookie', 'a=1; Path=/'],
      ['x-long', 'one two'],
      ['set-cookie', 'b=2'],
      ['content-length', '0'],
    ]);
    expect(parsed.headers['set-cookie']).toBe('a=1; Path=/, b=2');
  });
});

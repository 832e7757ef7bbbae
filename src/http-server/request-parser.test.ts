import { describe, expect, it } from 'vitest';
import { RequestParser, type RequestFeed } from './request-parser.js';

function feedAll(parser: RequestParser, text: string, pieceBytes = text.length): RequestFeed[] {
  const bytes = Buffer.from(text, 'latin1');
  const results: RequestFeed[] = [];
  for (let at = 0; at < bytes.length; at += pieceBytes) results.push(parser.feed(bytes.subarray(at, at + pieceBytes)));
  return results;
}

/** The first result that is not a call for more bytes, else the last. */
function only(results: RequestFeed[]): RequestFeed {
  const last = results.find((r) => r.state !== 'more') ?? results.at(-1);
  if (last === undefined) throw new Error('nothing fed');
  return last;
}

const POST =
  'POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"model":1}';

describe('RequestParser', () => {
  it('reads a head and a Content-Length body fed in pieces of any size', () => {
    for (const piece of [1, 2, 7, 64, POST.length]) {
      const result = only(feedAll(new RequestParser(1024), POST, piece));
      if (result.state !== 'request') throw new Error(`piece ${piece}: ${JSON.stringify(result)}`);
      expect(result.request.head).toEqual({
        method: 'POST',
        target: '/v1/chat/completions',
        minorVersion: 1,
        fields: [
          ['host', 'a'],
          ['content-type', 'application/json'],
          ['content-length', '11'],
        ],
      });
      expect(result.request.body.toString()).toBe('{"model":1}');
      expect(result.rest).toHaveLength(0);
    }
  });

  it('reads a chunked body with extensions and trailers, and hands back the pipelined request after it', () => {
    const chunked =
      'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: t\r\n\r\n';
    const next = 'GET /y HTTP/1.1\r\nHost: a\r\n\r\n';
    for (const piece of [1, 3, 1000]) {
      const parser = new RequestParser(1024);
      const results = feedAll(parser, chunked + next, piece);
      const requests = results.filter((r) => r.state === 'request');
      const done = requests[0];
      if (done?.state !== 'request') throw new Error(`piece ${piece}: no request`);
      expect(done.request.body.toString()).toBe('hello world');
      const after = piece === 1000 ? parser.feed(done.rest) : requests[1];
      if (after?.state !== 'request') throw new Error(`piece ${piece}: no second request`);
      expect(after.request.head.target).toBe('/y');
      expect(after.request.body).toHaveLength(0);
    }
  });

  it('says when the head is read, before the body has come', () => {
    const result = new RequestParser(1024).feed(
      Buffer.from('POST /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n'),
    );
    expect(result.state).toBe('more');
    if (result.state === 'more') expect(result.head?.target).toBe('/x');
  });

  it('takes an absolute-form target as its path and ignores empty lines before a request', () => {
    const result = new RequestParser(1024).feed(
      Buffer.from('\r\nGET http://up.example:8080?q=1 HTTP/1.1\r\nHost: up.example\r\n\r\n'),
    );
    if (result.state !== 'request') throw new Error(JSON.stringify(result));
    expect(result.request.head.target).toBe('/?q=1');
  });

  it.each([
    ['both framings', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n', 400],
    ['two lengths', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n', 400],
    ['a signed length', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\n', 400],
    ['chunked not last', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n', 400],
    ['another coding', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', 501],
    ['a bad chunk size', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400],
    ['a body too large', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2048\r\n\r\n', 413],
    ['chunks too large', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n801\r\n', 413],
    ['no Host', 'GET / HTTP/1.1\r\n\r\n', 400],
    ['a folded line', 'GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n', 400],
    ['a space before the colon', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n', 400],
    ['a control character', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\x01b\r\n\r\n', 400],
    ['not a request line', 'hello\r\n\r\n', 400],
    ['HTTP/2 as text', 'GET / HTTP/2.0\r\nHost: a\r\n\r\n', 505],
    ['a target that is not a path', 'GET foo HTTP/1.1\r\nHost: a\r\n\r\n', 400],
  ])('refuses %s', (_name, text, status) => {
    const result = only(feedAll(new RequestParser(1024), text));
    if (result.state !== 'refused') throw new Error(JSON.stringify(result));
    expect(result.refusal.status).toBe(status);
    expect(result.refusal.message).not.toBe('');
  });

  it('refuses a head larger than 64 KiB with 431, whether or not its end has come', () => {
    const big = `GET / HTTP/1.1\r\nHost: a\r\nX: ${'a'.repeat(70 * 1024)}`;
    for (const text of [big, `${big}\r\n\r\n`]) {
      const result = only(feedAll(new RequestParser(1024), text, 4096));
      if (result.state !== 'refused') throw new Error(`${result.state}`);
      expect(result.refusal.status).toBe(431);
    }
  });

  it('takes an HTTP/1.0 request without a Host', () => {
    const result = new RequestParser(1024).feed(Buffer.from('GET /a HTTP/1.0\r\n\r\n'));
    if (result.state !== 'request') throw new Error(JSON.stringify(result));
    expect(result.request.head.minorVersion).toBe(0);
  });
});

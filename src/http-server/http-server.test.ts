import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../test/helpers/until.js';
import type { ClientResponse } from './client-response.js';
import { startHttpServer, type HttpServerOptions, type RunningHttpServer } from './http-server.js';
import type { ReadRequest } from './request-parser.js';

let server: RunningHttpServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

async function serve(
  onRequest: (request: ReadRequest, response: ClientResponse) => void,
  settings: Partial<HttpServerOptions> = {},
): Promise<number> {
  server = await startHttpServer({ host: '127.0.0.1', port: 0, onRequest, ...settings });
  return server.address.port;
}

/** A raw client: what it sends is exactly what is written, what it got is every byte until now. */
async function client(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const socket = connect({ host: '127.0.0.1', port });
  let text = '';
  socket.on('data', (data: Buffer) => (text += data.toString('latin1')));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return { socket, received: () => text, closed };
}

/** Answers with the request's method, target and body, after `delayMs`. */
function echo(delayMs = 0): (request: ReadRequest, response: ClientResponse) => void {
  return (request, response) => {
    const answer = (): void => {
      response.writeHead(200, [['content-type', 'text/plain']]);
      response.write(Buffer.from(`${request.head.method} ${request.head.target} `));
      response.end(request.body);
    };
    if (delayMs === 0) answer();
    else setTimeout(answer, delayMs);
  };
}

describe('startHttpServer', () => {
  it('answers pipelined requests in order on one kept-alive connection, chunked for HTTP/1.1', async () => {
    const port = await serve(echo(20));
    const c = await client(port);
    c.socket.write(
      'POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nHost: h\r\n\r\n' +
        'POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n',
    );
    await until(
      'three whole responses',
      () => c.received().split('HTTP/1.1 200 OK').length === 4 && c.received().endsWith('0\r\n\r\n'),
    );
    const responses = c.received().split('HTTP/1.1 200 OK').slice(1);
    expect(responses.map((r) => r.includes('transfer-encoding: chunked'))).toEqual([true, true, true]);
    expect(responses.map((r) => r.replace(/^[\s\S]*?\r\n\r\n/, ''))).toEqual([
      '8\r\nPOST /a \r\n3\r\nabc\r\n0\r\n\r\n',
      '7\r\nGET /b \r\n0\r\n\r\n',
      '8\r\nPOST /c \r\n2\r\nxy\r\n0\r\n\r\n',
    ]);
    expect(c.socket.destroyed).toBe(false);
    c.socket.destroy();
  });

  it('holds back a client that pipelines far ahead, and answers every request once the first is done', async () => {
    const port = await serve((request, response) => {
      const answer = (): void => response.end(`${request.head.target}:${request.body.length};`);
      if (request.head.target === '/slow') setTimeout(answer, 100);
      else answer();
    });
    const c = await client(port);
    const body = 'x'.repeat(1024 * 1024);
    c.socket.write('GET /slow HTTP/1.1\r\nHost: h\r\n\r\n');
    for (const name of ['a', 'b', 'c'])
      c.socket.write(`POST /${name} HTTP/1.1\r\nHost: h\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    await until('the last pipelined answer', () => c.received().includes('/c:1048576;'), 10_000);
    const bodies = c.received().match(/\/\w+:\d+;/g);
    expect(bodies).toEqual(['/slow:0;', '/a:1048576;', '/b:1048576;', '/c:1048576;']);
    c.socket.destroy();
  });

  it('frames an HTTP/1.0 answer by closing, keeps a given Content-Length, and closes on Connection: close', async () => {
    const port = await serve(echo());
    const old = await client(port);
    old.socket.write('POST /a HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi');
    await old.closed;
    expect(old.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(old.received()).toContain('connection: close');
    expect(old.received()).not.toContain('transfer-encoding');
    expect(old.received().endsWith('\r\n\r\nPOST /a hi')).toBe(true);

    const closing = await client(port);
    closing.socket.write('GET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n');
    await closing.closed;
    expect(closing.received()).toContain('connection: close');
  });

  it('sends 100 Continue to a client that waits for it before its body', async () => {
    const port = await serve(echo());
    const c = await client(port);
    c.socket.write('POST /a HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n');
    await until('100 Continue', () => c.received().includes('100 Continue'));
    c.socket.write('body');
    await until('the whole response', () => c.received().endsWith('0\r\n\r\n'));
    expect(c.received()).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    expect(c.received()).toContain('4\r\nbody\r\n');
    c.socket.destroy();
  });

  it('refuses a request that could be read two ways with 400 and closes, without calling the handler', async () => {
    let called = 0;
    const port = await serve(() => (called += 1));
    const c = await client(port);
    c.socket.write('POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
    await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(c.received()).toContain('both Transfer-Encoding and Content-Length');
    expect(called).toBe(0);
  });

  it('tells the handler when the client leaves mid-response, and closes idle and slow connections', async () => {
    let left = 0;
    const port = await serve(
      (_request, response) => {
        response.writeHead(200, [['content-type', 'text/event-stream']]);
        response.write(Buffer.from('data: 1\n\n'));
        response.onClose(() => (left += 1));
      },
      { keepAliveTimeoutMs: 100, requestTimeoutMs: 100 },
    );
    const c = await client(port);
    c.socket.write('GET /s HTTP/1.1\r\nHost: h\r\n\r\n');
    await until('the first event', () => c.received().includes('data: 1'));
    c.socket.destroy();
    await until('the handler to hear the client left', () => left === 1);

    const idle = await client(port);
    await idle.closed;
    expect(idle.received()).toBe('');
    const slow = await client(port);
    slow.socket.write('POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nab');
    await slow.closed;
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('answers 408 to a request that trickles in past the limit, however often its bytes come', async () => {
    let called = 0;
    const port = await serve(() => (called += 1), { requestTimeoutMs: 200 });
    const c = await client(port);
    const text = 'POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n' + 'x'.repeat(100);
    let at = 0;
    const trickle = setInterval(() => {
      if (at < text.length && !c.socket.destroyed) c.socket.write(text[at++] ?? '');
    }, 20);
    try {
      await c.closed;
    } finally {
      clearInterval(trickle);
    }
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(at).toBeLessThan(text.length);
    expect(called).toBe(0);
  });

  it('answers 500 when the handler throws before answering, and cuts the connection when it throws after', async () => {
    const port = await serve((request, response) => {
      if (request.head.target === '/late') response.write(Buffer.from('partial'));
      throw new Error('a bug');
    });
    const early = await client(port);
    early.socket.write('GET /early HTTP/1.1\r\nHost: h\r\n\r\n');
    await until('the 500 answer', () => early.received().endsWith('0\r\n\r\n'));
    expect(early.received()).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
    early.socket.destroy();
    const late = await client(port);
    late.socket.write('GET /late HTTP/1.1\r\nHost: h\r\n\r\n');
    await late.closed;
    expect(late.received()).not.toContain('500');
  });

  it('does not wait forever for a client that never closes its side', async () => {
    await serve(echo());
    const port = server?.address.port ?? 0;
    const stubborn = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const ended = new Promise<void>((resolve) => stubborn.once('end', () => resolve()));
    stubborn.resume();
    stubborn.write('GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n');
    await ended;
    // This side has ended; the client has not. Closing the server resolves once the connection is cut.
    const started = Date.now();
    await server?.close();
    server = null;
    expect(Date.now() - started).toBeLessThan(8000);
    stubborn.destroy();
  }, 15_000);

  it('stops taking connections on close, and lets a response in flight finish first', async () => {
    const port = await serve(echo(150));
    const c = await client(port);
    c.socket.write('GET /a HTTP/1.1\r\nHost: h\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 30));
    const closing = server?.close();
    server = null;
    await c.closed;
    expect(c.received()).toContain('7\r\nGET /a \r\n0\r\n\r\n');
    expect(c.received()).toContain('connection: close');
    await closing;
    await expect(client(port)).rejects.toThrow();
  });
});

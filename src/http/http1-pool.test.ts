import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionPhases, HttpDispatcher, HttpRequest } from './dispatcher.js';
import { Http1Pool } from './http1-pool.js';
import { UndiciDispatcher } from './undici-dispatcher.js';

const TLS_DIR = new URL('../../test/fixtures/tls/', import.meta.url);

interface Answer {
  status: number | null;
  headers: Record<string, string>;
  body: string;
  /** Body pieces as they arrived, with performance.now() at arrival. */
  pieces: { text: string; atMs: number }[];
  error: (Error & { code?: string }) | null;
  /** Whether the client sent it a second time after its reused connection closed unanswered. */
  resent: boolean;
  /** What the client said about the connection each time the request went out. */
  phases: ConnectionPhases[];
}

/** Sends one request and collects everything the handler is told; `abortAfterMs` aborts it that long after sending. */
function call(pool: HttpDispatcher, request: Partial<HttpRequest> = {}, abortAfterMs?: number): Promise<Answer> {
  return new Promise((resolve) => {
    const answer: Answer = { status: null, headers: {}, body: '', pieces: [], error: null, resent: false, phases: [] };
    pool.dispatch(
      { path: '/', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', ...request },
      {
        onConnect: (control) => {
          if (abortAfterMs !== undefined)
            setTimeout(() => control.abort(new Error('aborted by the test')), abortAfterMs);
        },
        onHeaders: (status, headers) => {
          answer.status = status;
          answer.headers = Object.fromEntries(headers.entries());
        },
        onData: (chunk) => {
          answer.body += chunk.toString('utf8');
          answer.pieces.push({ text: chunk.toString('utf8'), atMs: performance.now() });
        },
        onResend: () => {
          answer.resent = true;
        },
        onConnection: (phases) => answer.phases.push({ ...phases }),
        onComplete: () => resolve(answer),
        onError: (error) => {
          answer.error = error;
          resolve(answer);
        },
      },
    );
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A node:http server on 127.0.0.1 that counts the connections it accepted. */
async function httpServer(
  handle: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<{ url: URL; connections: () => number; server: Server }> {
  let connections = 0;
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(parts).toString('utf8')));
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`),
    connections: () => connections,
    server,
  };
}

/** A TCP server that answers every request's bytes with whatever `reply` writes on the raw socket. */
async function rawServer(reply: (socket: Socket, requestCount: number) => void): Promise<URL> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', () => reply(socket, (count += 1)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  );
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
}

function pool(url: URL, connections = 4): Http1Pool {
  const created = new Http1Pool(url, connections);
  cleanups.push(() => created.close());
  return created;
}

describe('Http1Pool', () => {
  it('sends the request as written and reads Content-Length and chunked responses', async () => {
    const { url } = await httpServer((req, res, body) => {
      if (req.url === '/chunked') {
        res.write('part one, ');
        res.end('part two');
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          host: req.headers.host,
          type: req.headers['content-type'],
          length: req.headers['content-length'],
          custom: req.headers['x-custom'],
          body,
        }),
      );
    });
    const p = pool(url);
    const echoed = await call(p, {
      path: '/v1/x?q=1',
      headers: { 'Content-Type': 'application/json', 'X-Custom': 'a b' },
      body: '{"text":"héllo ✓"}',
    });
    expect(echoed.error).toBeNull();
    expect(echoed.status).toBe(200);
    expect(echoed.headers['content-type']).toBe('application/json');
    expect(JSON.parse(echoed.body)).toEqual({
      method: 'POST',
      url: '/v1/x?q=1',
      host: url.host,
      type: 'application/json',
      length: String(Buffer.byteLength('{"text":"héllo ✓"}')),
      custom: 'a b',
      body: '{"text":"héllo ✓"}',
    });
    const chunked = await call(p, { path: '/chunked' });
    expect(chunked.headers['transfer-encoding']).toBe('chunked');
    expect(chunked.body).toBe('part one, part two');
    const get = await call(p, { method: 'GET', body: null });
    expect(JSON.parse(get.body)).toMatchObject({ method: 'GET', body: '' });
    expect(JSON.parse(get.body)).not.toHaveProperty('length');
  });

  it('hands over each streamed piece as it arrives', async () => {
    const { url } = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let n = 0;
      const timer = setInterval(() => {
        n += 1;
        res.write(`data: ${n}\n\n`);
        if (n === 5) {
          clearInterval(timer);
          res.end();
        }
      }, 30);
    });
    const answer = await call(pool(url));
    const pieces = answer.pieces.filter((p) => p.text !== '');
    expect(pieces.map((p) => p.text)).toEqual([1, 2, 3, 4, 5].map((n) => `data: ${n}\n\n`));
    for (let i = 1; i < pieces.length; i += 1)
      expect((pieces[i]?.atMs ?? 0) - (pieces[i - 1]?.atMs ?? 0)).toBeGreaterThan(15);
  });

  it('reuses a kept-alive connection and opens no more than its limit', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const { url, connections } = await httpServer((_req, res) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        res.end('ok');
      }, 5);
    });
    const p = pool(url, 3);
    for (let i = 0; i < 5; i += 1) expect((await call(p)).body).toBe('ok');
    expect(connections()).toBe(1);
    const answers = await Promise.all(Array.from({ length: 30 }, () => call(p)));
    expect(answers.every((a) => a.body === 'ok')).toBe(true);
    expect(mostInFlight).toBe(3);
    expect(connections()).toBe(3);
  });

  it('opens a new connection when the server closes one or its keep-alive time has nearly run out', async () => {
    const { url, connections } = await httpServer((req, res) => {
      if (req.url === '/close') res.setHeader('connection', 'close');
      if (req.url === '/short') res.setHeader('keep-alive', 'timeout=1');
      res.end('ok');
    });
    const p = pool(url, 1);
    await call(p, { path: '/close' });
    await call(p, { path: '/close' });
    expect(connections()).toBe(2);
    // timeout=1 leaves no time to reuse it safely (a second's margin): the next request opens a fourth, which lasts.
    await call(p, { path: '/short' });
    await call(p);
    await call(p);
    expect(connections()).toBe(4);
  });

  it('aborts a request in flight or in the queue', async () => {
    const { url } = await httpServer((req, res) => {
      if (req.url === '/slow') setTimeout(() => res.end('late'), 2000);
      else res.end('ok');
    });
    const p = pool(url, 1);
    const slow = call(p, { path: '/slow' }, 50);
    const queued = call(p, {}, 20);
    const after = call(p);
    const [slowAnswer, queuedAnswer, afterAnswer] = await Promise.all([slow, queued, after]);
    expect(slowAnswer.error?.message).toBe('aborted by the test');
    expect(queuedAnswer.error?.message).toBe('aborted by the test');
    expect(afterAnswer.body).toBe('ok');
  });

  it('reports refused connections, resets and malformed responses by code', async () => {
    const closed = await httpServer(() => undefined);
    const deadUrl = closed.url;
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    expect((await call(pool(deadUrl))).error?.code).toBe('ECONNREFUSED');

    const resetting = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial');
      setTimeout(() => socket.resetAndDestroy(), 20);
    });
    const reset = await call(pool(resetting));
    expect(reset.body).toBe('partial');
    expect(reset.error?.code).toBe('ECONNRESET');

    const ending = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial'));
    const ended = await call(pool(ending));
    expect(ended.error?.code).toBe('SOCKET_CLOSED');
    expect(ended.error?.message).toContain('before the response ended');

    const garbage = await rawServer((socket) => socket.write('SMTP ready\r\n\r\n'));
    const malformed = await call(pool(garbage));
    expect(malformed.error?.code).toBe('HTTP_PARSE_ERROR');
    expect(malformed.error?.message).toContain('not an HTTP/1.x status line');
  });

  it('reads a body framed by the close of the connection, and a large body in pieces', async () => {
    const closing = await rawServer((socket) =>
      socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nuntil the end'),
    );
    const p = pool(closing, 1);
    expect(await call(p)).toMatchObject({ status: 200, body: 'until the end', error: null });
    expect((await call(p)).body).toBe('until the end');
    const big = 'x'.repeat(3_000_000);
    const { url } = await httpServer((_req, res) => res.end(big));
    const answer = await call(pool(url));
    expect(answer.body.length).toBe(big.length);
    expect(answer.pieces.length).toBeGreaterThan(1);
  });

  it('fails only the request whose handler throws', async () => {
    const { url } = await httpServer((_req, res) => res.end('ok'));
    const p = pool(url, 1);
    const failed = await new Promise<Error>((resolve) =>
      p.dispatch(
        { path: '/', method: 'GET', headers: {}, body: null },
        {
          onConnect: () => undefined,
          onHeaders: () => undefined,
          onData: () => {
            throw new Error('handler bug');
          },
          onComplete: () => undefined,
          onError: resolve,
        },
      ),
    );
    expect(failed.message).toBe('handler bug');
    expect((await call(p)).body).toBe('ok');
  });

  it('never hands a response to the wrong request when a server sends too much', async () => {
    const url = await rawServer((socket, n) =>
      socket.write(
        `HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nr${n}HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nextra`,
      ),
    );
    const p = pool(url, 1);
    expect((await call(p)).body).toBe('r1');
    // The connection that carried extra bytes is dropped; the next request gets its own answer.
    expect((await call(p)).body).toBe('r2');
  });

  it("hands over a response's bytes as read, none past its end, with whether its framing lets the connection go on", async () => {
    const url = await rawServer((socket, n) => {
      if (n === 1) socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2;x=y\r\nab\r\n');
      if (n === 1) setTimeout(() => socket.write('0\r\n\r\nHTTP/1.1 200 OK\r\n\r\nstray'), 5);
      if (n === 2) socket.write('HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\ncd');
      if (n === 3) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\ne');
    });
    const p = pool(url, 1);
    const send = (): Promise<{ raw: string; reusable: (boolean | null)[]; body: string }> =>
      new Promise((resolve, reject) => {
        const seen = { raw: '', reusable: [] as (boolean | null)[], body: '' };
        p.dispatchBytes(Buffer.from('GET / HTTP/1.1\r\nhost: x\r\n\r\n'), 'GET', {
          onConnect: () => undefined,
          onHeaders: () => undefined,
          onData: (chunk) => (seen.body += chunk.toString()),
          onRawData: (bytes, reusableAfter) => {
            seen.raw += bytes.toString('latin1');
            seen.reusable.push(reusableAfter);
          },
          onComplete: () => resolve(seen),
          onError: reject,
        });
      });
    expect(await send()).toEqual({
      raw: 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2;x=y\r\nab\r\n0\r\n\r\n',
      // Bytes past the end make the connection untrustworthy: not reusable, whatever the framing said.
      reusable: [null, false],
      body: 'ab',
    });
    expect(await send()).toEqual({
      raw: 'HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\ncd',
      reusable: [false],
      body: 'cd',
    });
    expect(await send()).toEqual({ raw: 'HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\ne', reusable: [true], body: 'e' });
  });

  it('tells each request whether its connection was new, with the time of its lookup, connect and handshake, or reused', async () => {
    const { url } = await httpServer((_req, res) => res.end('ok'));
    const p = pool(url, 1);
    const first = await call(p);
    const second = await call(p);
    expect(first.phases).toHaveLength(1);
    // An IP address needs no lookup, plain http no handshake.
    expect(first.phases[0]).toMatchObject({ reused: false, dnsNs: null, tlsNs: null });
    expect(first.phases[0]?.connectNs).toBeGreaterThan(0);
    expect(second.phases).toEqual([{ reused: true, dnsNs: null, connectNs: null, tlsNs: null }]);

    const named = createServer((_req, res) => res.end('named'));
    await new Promise<void>((resolve) => named.listen(0, 'localhost', resolve));
    cleanups.push(() => new Promise<void>((resolve) => (named.closeAllConnections(), named.close(() => resolve()))));
    const byName = await call(pool(new URL(`http://localhost:${(named.address() as AddressInfo).port}/`)));
    expect(byName.body).toBe('named');
    expect(byName.phases[0]?.dnsNs).toBeGreaterThan(0);
    expect(byName.phases[0]?.connectNs).toBeGreaterThan(0);
  });

  it('speaks HTTPS to a server whose certificate it trusts, and refuses one it does not', async () => {
    const server = createHttpsServer(
      { key: readFileSync(new URL('key.pem', TLS_DIR)), cert: readFileSync(new URL('cert.pem', TLS_DIR)) },
      (_req, res) => res.end('secure'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const url = new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const trusting = new Http1Pool(url, 1, { ca: readFileSync(new URL('cert.pem', TLS_DIR)) });
    cleanups.push(() => trusting.close());
    const secure = await call(trusting);
    expect(secure.body).toBe('secure');
    // The handshake is timed apart from the TCP connect.
    expect(secure.phases[0]?.reused).toBe(false);
    expect(secure.phases[0]?.connectNs).toBeGreaterThan(0);
    expect(secure.phases[0]?.tlsNs).toBeGreaterThan(0);
    const refused = await call(pool(url));
    expect(refused.error?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('finishes requests in flight on close, then refuses new ones', async () => {
    const { url } = await httpServer((_req, res) => setTimeout(() => res.end('done'), 30));
    const p = new Http1Pool(url, 2);
    const inFlight = [call(p), call(p), call(p)];
    await p.close();
    expect((await Promise.all(inFlight)).map((a) => a.body)).toEqual(['done', 'done', 'done']);
    expect((await call(p)).error?.code).toBe('CLIENT_CLOSED');
  });
});

describe('both clients', () => {
  it('give the same status, headers and body', async () => {
    const { url } = await httpServer((_req, res, body) => {
      res.writeHead(201, { 'content-type': 'text/plain', 'x-repeat': ['a', 'b'] });
      res.end(`got ${body}`);
    });
    const ours = pool(url);
    const undici = new UndiciDispatcher(url, 2, 5000);
    cleanups.push(() => undici.close());
    const [a, b] = [await call(ours, { body: 'é' }), await call(undici, { body: 'é' })];
    expect(a.error).toBeNull();
    expect(b.error).toBeNull();
    expect({ status: a.status, type: a.headers['content-type'], repeat: a.headers['x-repeat'], body: a.body }).toEqual({
      status: b.status,
      type: b.headers['content-type'],
      repeat: b.headers['x-repeat'],
      body: b.body,
    });
    expect(a.body).toBe('got é');
  });
});

/**
 * A server that answers every request on a connection (one `data` event is one request here) and then closes the
 * connection when `closeAfter(n)` says so for the n-th response on it, the way llama.cpp's server closes after each
 * streamed response while its headers still announce keep-alive.
 */
async function closingServer(
  keepAlive: string,
  closeAfter: (nthOnConnection: number) => boolean,
  closeDelayMs = 0,
): Promise<{ url: URL; requests: () => number; connections: () => number }> {
  let requests = 0;
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    connections += 1;
    sockets.add(socket);
    let onThis = 0;
    let closing = false;
    socket.on('error', () => undefined);
    socket.on('data', () => {
      // Bytes after the server decided to close are never read, as with a server that closed its socket.
      if (closing) return;
      requests += 1;
      onThis += 1;
      const body = `answer ${requests}`;
      socket.write(
        `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nKeep-Alive: ${keepAlive}\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      if (!closeAfter(onThis)) return;
      closing = true;
      if (closeDelayMs === 0) socket.end();
      else setTimeout(() => socket.end(), closeDelayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  );
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`),
    requests: () => requests,
    connections: () => connections,
  };
}

/** `total` requests kept `concurrency` at a time, each sent the moment the previous one of its slot ended. */
async function closedLoop(dispatcher: HttpDispatcher, total: number, concurrency: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  const slot = async (): Promise<void> => {
    while (next < total) {
      next += 1;
      answers.push(await call(dispatcher));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, slot));
  return answers;
}

const clients: [string, (url: URL, connections: number) => HttpDispatcher][] = [
  ['yardstick', (url, connections) => pool(url, connections)],
  [
    'undici',
    (url, connections) => {
      const created = new UndiciDispatcher(url, connections, 5000);
      cleanups.push(() => created.close());
      return created;
    },
  ],
];

describe.each(clients)('connections as real servers close them (%s client)', (_name, create) => {
  it.each([
    [1, 0],
    [4, 0],
    [1, 2],
    [4, 2],
  ])(
    'a server that closes after every response while announcing keep-alive: every request answered (concurrency %i, close %i ms after)',
    async (concurrency, closeDelayMs) => {
      const server = await closingServer('timeout=5, max=100', () => true, closeDelayMs);
      const answers = await closedLoop(create(server.url, concurrency), 60, concurrency);
      expect(answers.filter((a) => a.error !== null).map((a) => a.error?.message)).toEqual([]);
      expect(answers.map((a) => a.body).every((b) => b.startsWith('answer '))).toBe(true);
      // Each request the server saw was answered once: a resent request never reached it the first time.
      expect(server.requests()).toBe(60);
      expect(server.connections()).toBe(60);
    },
  );

  it('a server that closes idle connections: the next request goes out on a fresh one', async () => {
    const server = await closingServer('timeout=5', () => false);
    const dispatcher = create(server.url, 1);
    expect((await call(dispatcher)).error).toBeNull();
    // The server (or a proxy before it) drops the idle connection without a word.
    const raw = await call(dispatcher);
    expect(raw.error).toBeNull();
    expect(server.connections()).toBe(1);
  });
});

describe('Http1Pool and Keep-Alive max', () => {
  it('never sends more requests on a connection than the max= it first announced, so none needs resending', async () => {
    // cpp-httplib repeats its total (max=3 on every response) and closes after the third.
    const server = await closingServer('timeout=5, max=3', (n) => n === 3);
    const answers = await closedLoop(pool(server.url, 1), 9, 1);
    expect(answers.map((a) => [a.error, a.resent])).toEqual(Array.from({ length: 9 }, () => [null, false]));
    expect(server.connections()).toBe(3);
  });

  it('resends after an unannounced close after N responses, and fails a request whose fresh connection closes too', async () => {
    const server = await closingServer('timeout=5', (n) => n === 2);
    const answers = await closedLoop(pool(server.url, 1), 6, 1);
    expect(answers.map((a) => a.error)).toEqual(Array.from({ length: 6 }, () => null));
    expect(answers.filter((a) => a.resent).length).toBe(2);
    // A resent request went out on a reused connection first, then on the fresh one whose setup it reports last.
    for (const answer of answers.filter((a) => a.resent))
      expect(answer.phases.map((p) => p.reused)).toEqual([true, false]);
    // A connection that closes before its first answer is not a stale keep-alive connection: that is a failure.
    const silent = await rawServer((socket) => socket.end());
    const failed = await call(pool(silent, 1));
    expect(failed.error?.code).toBe('SOCKET_CLOSED');
    expect(failed.resent).toBe(false);
  });
});

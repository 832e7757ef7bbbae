import { Client, Pool, type Dispatcher } from 'undici';
import { errorCodeOf, type HttpDispatcher, type HttpRequest, type ResponseHandler } from './dispatcher.js';
import type { ResponseHeaders } from './response-parser.js';

/** undici's raw header list (alternating names and values) as a map by lower-case name; repeats joined with ", ". */
/** undici's raw header list read as response headers: joined by name, and line by line. */
class RawHeaders implements ResponseHeaders {
  private readonly joined = new Map<string, string>();
  private readonly lines: [string, string][] = [];

  constructor(rawHeaders: Buffer[]) {
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]?.toString('latin1').toLowerCase() ?? '';
      const value = rawHeaders[i + 1]?.toString('latin1') ?? '';
      const previous = this.joined.get(name);
      this.joined.set(name, previous === undefined ? value : `${previous}, ${value}`);
      this.lines.push([name, value]);
    }
  }

  get(lowerName: string): string | undefined {
    return this.joined.get(lowerName);
  }

  has(lowerName: string): boolean {
    return this.joined.has(lowerName);
  }

  entries(): IterableIterator<[string, string]> {
    return this.joined.entries();
  }

  fields(): IterableIterator<[string, string]> {
    return this.lines.values();
  }
}

/** Errors of a connection that closed under a request (undici's socket error, a reset, a broken pipe). */
const CLOSED_UNDER_REQUEST = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/**
 * undici's keep-alive pool behind the dispatcher interface (`client: undici` on a target). A request whose
 * connection closes before any byte of the response arrives is sent once more, on a connection of its own (the
 * pool's other idle connections may be closing too): undici does not say whether the failed connection was a
 * reused one, so unlike yardstick's own client this also resends after a fresh connection closed.
 */
export class UndiciDispatcher implements HttpDispatcher {
  private readonly pool: Pool;

  private readonly origin: string;
  private readonly timeoutMs: number;

  constructor(url: URL, maxConnections: number, timeoutMs: number) {
    this.origin = url.origin;
    this.timeoutMs = timeoutMs;
    this.pool = new Pool(url.origin, {
      connections: maxConnections,
      pipelining: 1,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      keepAliveTimeout: 10_000,
    });
  }

  dispatch(request: HttpRequest, handler: ResponseHandler): void {
    this.send(this.pool, request, handler, false);
  }

  private resend(request: HttpRequest, handler: ResponseHandler): void {
    handler.onResend?.();
    const fresh = new Client(this.origin, {
      pipelining: 1,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const closeAfter: ResponseHandler = {
      onConnect: (control) => handler.onConnect(control),
      onHeaders: (statusCode, headers) => handler.onHeaders(statusCode, headers),
      onData: (chunk) => handler.onData(chunk),
      onComplete: () => {
        void fresh.close();
        handler.onComplete();
      },
      onError: (error) => {
        void fresh.destroy();
        handler.onError(error);
      },
    };
    this.send(fresh, request, closeAfter, true);
  }

  private send(dispatcher: Dispatcher, request: HttpRequest, handler: ResponseHandler, resent: boolean): void {
    let answered = false;
    dispatcher.dispatch(
      { path: request.path, method: request.method, headers: request.headers, body: request.body },
      {
        onConnect: (abort) => handler.onConnect({ abort }),
        onHeaders: (statusCode, rawHeaders) => {
          answered = true;
          // Interim (1xx) responses are undici's to skip; only the final head reaches the handler.
          if (statusCode >= 200) handler.onHeaders(statusCode, new RawHeaders(rawHeaders));
          return true;
        },
        onData: (chunk) => {
          handler.onData(chunk);
          return true;
        },
        onComplete: () => handler.onComplete(),
        onError: (error) => {
          if (answered || resent || !CLOSED_UNDER_REQUEST.has(errorCodeOf(error) ?? '')) {
            handler.onError(error);
            return;
          }
          this.resend(request, handler);
        },
      },
    );
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

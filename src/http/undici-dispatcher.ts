import { Pool } from 'undici';
import type { HttpDispatcher, HttpRequest, ResponseHandler } from './dispatcher.js';
import type { ResponseHeaders } from './response-parser.js';

/** undici's raw header list (alternating names and values) as a map by lower-case name; repeats joined with ", ". */
function headersOf(rawHeaders: Buffer[]): ResponseHeaders {
  const headers = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]?.toString('latin1').toLowerCase() ?? '';
    const value = rawHeaders[i + 1]?.toString('latin1') ?? '';
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return headers;
}

/** undici's keep-alive pool behind the dispatcher interface (`client: undici` on a target). */
export class UndiciDispatcher implements HttpDispatcher {
  private readonly pool: Pool;

  constructor(url: URL, maxConnections: number, timeoutMs: number) {
    this.pool = new Pool(url.origin, { connections: maxConnections, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 10_000 });
  }

  dispatch(request: HttpRequest, handler: ResponseHandler): void {
    this.pool.dispatch(
      { path: request.path, method: request.method, headers: request.headers, body: request.body },
      {
        onConnect: (abort) => handler.onConnect({ abort }),
        onHeaders: (statusCode, rawHeaders) => {
          // Interim (1xx) responses are undici's to skip; only the final head reaches the handler.
          if (statusCode >= 200) handler.onHeaders(statusCode, headersOf(rawHeaders));
          return true;
        },
        onData: (chunk) => {
          handler.onData(chunk);
          return true;
        },
        onComplete: () => handler.onComplete(),
        onError: (error) => handler.onError(error),
      },
    );
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

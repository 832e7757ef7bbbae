import type { ResponseHeaders } from './response-parser.js';

/**
 * One HTTP request: a method whose response has a body (not HEAD or CONNECT); the body is UTF-8 text (JSON for every
 * target yardstick has) or, as a proxy forwards it, bytes.
 */
export interface HttpRequest {
  path: string;
  method: string;
  headers: Readonly<Record<string, string>>;
  body: string | Buffer | null;
}

/** Control of one dispatched request. */
export interface RequestControl {
  /** Ends the request with `reason` (through `onError`), unless it has ended already. */
  abort(reason: Error): void;
}

/**
 * Receives one response as it arrives, in this order: `onConnect` once, then `onHeaders`, `onData`… and `onComplete`
 * — or `onError` at any point after `onConnect`, after which nothing else is called.
 */
export interface ResponseHandler {
  /** Called at once by `dispatch` with the request's control. */
  onConnect(control: RequestControl): void;
  /** The final status and headers; `headers` is valid only during the call. */
  onHeaders(statusCode: number, headers: ResponseHeaders): void;
  /** A piece of the body, with transfer coding removed: valid only during the call (the client reuses the memory), so copy what you keep. */
  onData(chunk: Buffer): void;
  /**
   * The response's bytes as read, head and transfer coding included (for passing a response on unchanged), each read
   * after its parsed parts went to `onHeaders` and `onData`. `reusableAfter` is set on the response's last bytes:
   * whether its own framing lets the connection carry another response (null before the last bytes). Valid only during
   * the call.
   */
  onRawData?(bytes: Buffer, reusableAfter: boolean | null): void;
  onComplete(): void;
  onError(error: Error): void;
  /**
   * The request is being sent again on a fresh connection: the reused keep-alive connection it went out on closed
   * before any byte of the response arrived, so the server never answered it. Happens at most once per request.
   */
  onResend?(): void;
  /**
   * How the request met its connection, once it is on one that is ready: reused, or opened for it with the time its
   * setup took. Called again if the request is resent. Clients that cannot tell (undici) never call it.
   */
  onConnection?(phases: ConnectionPhases): void;
}

/** A request's connection: reused, or new with the duration of each setup phase (ns; null where a phase did not happen). */
export interface ConnectionPhases {
  reused: boolean;
  /** Name lookup; null for an IP address. */
  dnsNs: number | null;
  /** TCP connect, after the lookup. */
  connectNs: number | null;
  /** TLS handshake, after the connect; null for plain http. */
  tlsNs: number | null;
}

/** The phases of a request on a reused connection: no setup at all. */
export const REUSED_CONNECTION: Readonly<ConnectionPhases> = Object.freeze({
  reused: true,
  dnsNs: null,
  connectNs: null,
  tlsNs: null,
});

/** Connections to one origin that carry requests: yardstick's own HTTP/1.1 client, or undici's. */
export interface HttpDispatcher {
  dispatch(request: HttpRequest, handler: ResponseHandler): void;
  /** Lets requests in flight finish, then closes every connection. */
  close(): Promise<void>;
}

/** The HTTP clients a target can use: `yardstick` (HTTP/1.1 on raw sockets, the default) or `undici`. */
export const HTTP_CLIENT_KINDS = ['yardstick', 'undici'] as const;
export type HttpClientKind = (typeof HTTP_CLIENT_KINDS)[number];

/** An HTTP failure with a code that tells its kind (`ECONNRESET`, `HTTP_PARSE_ERROR`, `SOCKET_CLOSED`…). */
export class HttpClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpClientError';
  }
}

/** Error codes of responses that broke HTTP's rules: counted as malformed responses, not as connection failures. */
export const PARSE_ERROR_CODE = 'HTTP_PARSE_ERROR';

/** The `code` a Node.js or undici error carries (`ECONNRESET`, `UND_ERR_SOCKET`…); null when it has none. */
export function errorCodeOf(error: Error): string | null {
  const code = 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? code : null;
}

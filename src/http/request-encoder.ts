import type { HttpRequest } from './dispatcher.js';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values: visible latin-1 characters, spaces and tabs; never CR, LF or NUL (they would split the request).
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Framing headers the client sets itself: a configured one would contradict the body it sends. */
const RESERVED = new Set(['content-length', 'transfer-encoding']);

/** Why a set of request headers cannot be sent, or null when it can. */
export function headerProblem(headers: Readonly<Record<string, string>>): string | null {
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) return `header name '${name}' is not a valid HTTP token`;
    if (RESERVED.has(name.toLowerCase())) return `header '${name}' is set from the body; remove it from the headers`;
    if (!FIELD_VALUE.test(value))
      return `header '${name}' has a value with a line break, NUL or a character outside latin-1`;
  }
  return null;
}

interface Prefix {
  /** Request line and headers, ending before the content-length line. */
  text: string;
  /** Whole encoded requests by body text: load tests send the same bodies again and again. */
  encoded: Map<string, Buffer>;
}

/** Encoded requests kept per prefix; the cache is emptied when it reaches this many. */
const CACHE_LIMIT = 10_000;

/** Encodes requests to one origin as the exact bytes to write, each in one buffer so it leaves in one write. */
export class RequestEncoder {
  private readonly prefixes = new WeakMap<Readonly<Record<string, string>>, Map<string, Prefix>>();
  private last: { headers: Readonly<Record<string, string>>; method: string; path: string; prefix: Prefix } | null =
    null;

  constructor(private readonly hostHeader: string) {}

  /** The request's bytes. Headers must have passed `headerProblem`. */
  encode(request: HttpRequest): Buffer {
    const last = this.last;
    const prefix =
      last !== null && last.headers === request.headers && last.path === request.path && last.method === request.method
        ? last.prefix
        : this.prefixOf(request);
    if (request.body === null) return Buffer.from(`${prefix.text}\r\n`, 'latin1');
    const body = request.body;
    if (Buffer.isBuffer(body)) {
      const head = Buffer.from(`${prefix.text}content-length: ${body.length}\r\n\r\n`, 'latin1');
      return Buffer.concat([head, body]);
    }
    const cached = prefix.encoded.get(body);
    if (cached !== undefined) return cached;
    const bodyBytes = Buffer.byteLength(body);
    const head = `${prefix.text}content-length: ${bodyBytes}\r\n\r\n`;
    const bytes = Buffer.allocUnsafe(head.length + bodyBytes);
    bytes.write(head, 0, 'latin1');
    bytes.write(body, head.length, 'utf8');
    if (prefix.encoded.size >= CACHE_LIMIT) prefix.encoded.clear();
    prefix.encoded.set(body, bytes);
    return bytes;
  }

  private prefixOf(request: HttpRequest): Prefix {
    let byLine = this.prefixes.get(request.headers);
    if (byLine === undefined) {
      byLine = new Map();
      this.prefixes.set(request.headers, byLine);
    }
    const requestLine = `${request.method} ${request.path} HTTP/1.1\r\n`;
    let prefix = byLine.get(requestLine);
    if (prefix === undefined) {
      const names = Object.keys(request.headers).map((n) => n.toLowerCase());
      let text = requestLine;
      if (!names.includes('host')) text += `host: ${this.hostHeader}\r\n`;
      for (const [name, value] of Object.entries(request.headers)) text += `${name}: ${value}\r\n`;
      prefix = { text, encoded: new Map() };
      byLine.set(requestLine, prefix);
    }
    this.last = { headers: request.headers, method: request.method, path: request.path, prefix };
    return prefix;
  }
}

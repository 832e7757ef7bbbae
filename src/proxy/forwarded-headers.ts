import type { ResponseHeaders } from '../http/response-head.js';
import type { HeaderField } from '../http-server/client-response.js';

/**
 * Headers that belong to one connection, not to the message (RFC 9110 §7.6.1), and the framing each side sets
 * itself: never forwarded. Names listed in a message's own `Connection` header are dropped as well.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  // The proxy has read the whole body before forwarding it (and answered 100 Continue itself): nothing is left to expect.
  'expect',
]);

function connectionListed(value: string | undefined): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== ''),
  );
}

/**
 * The request as the upstream gets it, encoded: the request line with the upstream's path, `host` of the upstream,
 * every field line the client sent in its order but the hop-by-hop ones, and the body framed by its length (`body`
 * null: a request without one). Field names and values were checked when the request was read (request-head.ts).
 */
export function upstreamRequestBytes(
  method: string,
  path: string,
  fields: readonly HeaderField[],
  host: string,
  body: Buffer | null,
): Buffer {
  let listed: Set<string> | null = null;
  for (const [name, value] of fields)
    if (name === 'connection') {
      listed ??= new Set();
      for (const option of connectionListed(value)) listed.add(option);
    }
  let head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const [name, value] of fields) {
    if (HOP_BY_HOP.has(name) || listed?.has(name) === true) continue;
    head += `${name}: ${value}\r\n`;
  }
  head += body === null ? '\r\n' : `content-length: ${body.length}\r\n\r\n`;
  const headBytes = Buffer.byteLength(head, 'latin1');
  const bytes = Buffer.allocUnsafe(headBytes + (body?.length ?? 0));
  bytes.write(head, 0, 'latin1');
  body?.copy(bytes, headBytes);
  return bytes;
}

/** The upstream's response headers as the client gets them: hop-by-hop headers dropped, repeated ones kept apart. */
export function clientResponseHeaders(headers: ResponseHeaders): HeaderField[] {
  const listed = connectionListed(headers.get('connection'));
  const out: HeaderField[] = [];
  for (const field of headers.fields()) {
    const name = field[0];
    if ((HOP_BY_HOP.has(name) && name !== 'content-length') || listed.has(name)) continue;
    out.push(field);
  }
  return out;
}

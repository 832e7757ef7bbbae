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

/** The client's headers as the upstream gets them: everything but hop-by-hop headers, repeated ones joined. */
export function upstreamRequestHeaders(fields: readonly HeaderField[]): Record<string, string> {
  const connection = fields.filter(([name]) => name === 'connection').map(([, value]) => value);
  const listed = connectionListed(connection.join(','));
  const out = new Map<string, string>();
  for (const [name, value] of fields) {
    if (HOP_BY_HOP.has(name) || listed.has(name)) continue;
    const seen = out.get(name);
    out.set(name, seen === undefined ? value : `${seen}${name === 'cookie' ? '; ' : ', '}${value}`);
  }
  return Object.fromEntries(out);
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

/** A request's line and header fields as a server reads them (RFC 9112 §3, §5). */
export interface RequestHead {
  method: string;
  /** The request target in origin form (`/path?query`), or `*` for a server-wide OPTIONS. */
  target: string;
  /** 0 or 1: HTTP/1.0 or HTTP/1.1. */
  minorVersion: number;
  /** Each field line as received, names lower-cased, values without the spaces around them. */
  fields: [string, string][];
}

/** Why a request cannot be served: the status to answer with, and a message for the answer's body. */
export interface RequestRefusal {
  status: 400 | 408 | 413 | 431 | 501 | 505;
  message: string;
}

const SP = 32;
const HTAB = 9;

/** Characters of an RFC 9110 `token` (methods, header names), by char code. */
const TOKEN_CHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
  TOKEN_CHAR[c.charCodeAt(0)] = 1;

function isToken(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let k = start; k < end; k += 1) {
    const code = text.charCodeAt(k);
    if (code >= 128 || TOKEN_CHAR[code] !== 1) return false;
  }
  return true;
}

/** A field value may hold visible characters, spaces and tabs (and obs-text), never control characters. */
function valueIsClean(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k += 1) {
    const code = text.charCodeAt(k);
    if ((code < SP && code !== HTAB) || code === 127) return false;
  }
  return true;
}

function refusal(status: RequestRefusal['status'], message: string): RequestRefusal {
  return { status, message };
}

/**
 * The origin form of a request target: the path and query of an absolute-form target (which a server must accept,
 * RFC 9112 §3.2.2), the target itself otherwise; null when it is neither.
 */
function originForm(target: string, method: string): string | null {
  if (target.charCodeAt(0) === 47) return target; // '/'
  if (target === '*') return method === 'OPTIONS' ? target : null;
  const scheme = /^https?:\/\/[^/?#]+/i.exec(target);
  if (scheme === null) return null;
  const rest = target.slice(scheme[0].length);
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}

/** Reads a request head (the text before the blank line that ends it); a refusal when it is not a valid one. */
export function readRequestHead(text: string): RequestHead | RequestRefusal {
  // A server should ignore empty lines before the request line (RFC 9112 §2.2).
  let start = 0;
  while (text.startsWith('\r\n', start)) start += 2;
  const lineEnd = text.indexOf('\r\n', start);
  const end = lineEnd === -1 ? text.length : lineEnd;
  const firstSpace = text.indexOf(' ', start);
  const secondSpace = firstSpace === -1 ? -1 : text.indexOf(' ', firstSpace + 1);
  if (firstSpace === -1 || secondSpace === -1 || secondSpace > end || !isToken(text, start, firstSpace))
    return refusal(400, `not an HTTP request line: '${text.slice(start, Math.min(end, start + 60))}'`);
  const method = text.slice(start, firstSpace);
  const rawTarget = text.slice(firstSpace + 1, secondSpace);
  const version = text.slice(secondSpace + 1, end);
  if (!/^HTTP\/\d\.\d$/.test(version))
    return refusal(400, `not an HTTP request line: '${text.slice(start, Math.min(end, start + 60))}'`);
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0') return refusal(505, `${version} is not served; use HTTP/1.1`);
  if (rawTarget === '' || !valueIsClean(rawTarget, 0, rawTarget.length) || rawTarget.includes(' '))
    return refusal(400, 'the request target is empty or holds control characters');
  const target = originForm(rawTarget, method);
  if (target === null) return refusal(400, `the request target '${rawTarget.slice(0, 60)}' is not a path`);

  const fields: [string, string][] = [];
  let at = end + 2;
  while (at < text.length) {
    const next = text.indexOf('\r\n', at);
    const fieldEnd = next === -1 ? text.length : next;
    const first = text.charCodeAt(at);
    // Folded lines are obsolete; a server must refuse them or unfold them (RFC 9112 §5.2): refused.
    if (first === SP || first === HTAB) return refusal(400, 'a header line is folded (starts with a space)');
    const colon = text.indexOf(':', at);
    if (colon === -1 || colon > fieldEnd || !isToken(text, at, colon))
      return refusal(400, `a header line is not 'name: value': '${text.slice(at, Math.min(fieldEnd, at + 60))}'`);
    let from = colon + 1;
    let to = fieldEnd;
    while (from < to && (text.charCodeAt(from) === SP || text.charCodeAt(from) === HTAB)) from += 1;
    while (to > from && (text.charCodeAt(to - 1) === SP || text.charCodeAt(to - 1) === HTAB)) to -= 1;
    if (!valueIsClean(text, from, to))
      return refusal(400, `header '${text.slice(at, colon)}' holds a control character`);
    fields.push([text.slice(at, colon).toLowerCase(), text.slice(from, to)]);
    at = fieldEnd + 2;
  }
  const minorVersion = version === 'HTTP/1.1' ? 1 : 0;
  if (minorVersion === 1 && !fields.some(([name]) => name === 'host'))
    return refusal(400, 'an HTTP/1.1 request must carry a Host header');
  return { method, target, minorVersion, fields };
}

/** Whether a read head is a refusal. */
export function isRefusal(head: RequestHead | RequestRefusal): head is RequestRefusal {
  return 'status' in head;
}

/** The value of a field (repeated fields joined with ", "), or undefined when absent. */
export function fieldOf(head: RequestHead, lowerName: string): string | undefined {
  let value: string | undefined;
  for (const [name, field] of head.fields)
    if (name === lowerName) value = value === undefined ? field : `${value}, ${field}`;
  return value;
}

/** Response header values by lower-case name; repeated fields are joined with ", ". */
export interface ResponseHeaders {
  get(lowerName: string): string | undefined;
  has(lowerName: string): boolean;
  /** Each header once, repeated fields joined with ', ' (as `get` gives them). */
  entries(): IterableIterator<[string, string]>;
  /** Each field line as received, repeated fields apart (`set-cookie` must never be joined), names lower-cased. */
  fields(): IterableIterator<[string, string]>;
}

const SP = 32;
const HTAB = 9;
const COLON = 58;

/** Characters allowed in a header name (RFC 9110 `token`), by char code. */
const TOKEN_CHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
  TOKEN_CHAR[c.charCodeAt(0)] = 1;

function isWhitespace(code: number): boolean {
  return code === SP || code === HTAB;
}

/**
 * A response head read in one pass: the status line checked by character, every header line's name checked and
 * its bounds recorded. Values are sliced out only when asked for, since a client needs a handful of the headers a
 * server sends. One instance serves every response on a connection (`read` starts it over), so the headers it
 * hands out are valid until the connection's next response.
 */
export class ResponseHead implements ResponseHeaders {
  minorVersion = 1;
  statusCode = 0;
  private text = '';
  /** Per header line: start, colon and end offsets in `text` (a folded continuation line has colon −1). */
  private readonly offsets: number[] = [];
  /** Entries of `offsets` in use (three per line); the array is kept, not shrunk, between responses. */
  private used = 0;

  /** Reads a head (status line and header lines, without the blank line that ends it); returns an error or null. */
  read(text: string): string | null {
    this.text = text;
    this.used = 0;
    const firstEnd = text.indexOf('\r\n');
    const statusEnd = firstEnd === -1 ? text.length : firstEnd;
    const statusCode = statusCodeOf(text, statusEnd);
    if (statusCode === -1) return `not an HTTP/1.x status line: '${text.slice(0, Math.min(statusEnd, 60))}'`;
    this.statusCode = statusCode;
    this.minorVersion = text.charCodeAt(7) - 48;
    let start = statusEnd + 2;
    while (start < text.length) {
      const lineEnd = text.indexOf('\r\n', start);
      const end = lineEnd === -1 ? text.length : lineEnd;
      const error = this.recordLine(start, end);
      if (error !== null) return error;
      start = end + 2;
    }
    return null;
  }

  get(lowerName: string): string | undefined {
    let value: string | undefined;
    const o = this.offsets;
    for (let i = 0; i < this.used; i += 3) {
      const start = o[i] as number;
      const colon = o[i + 1] as number;
      if (colon === -1 || colon - start !== lowerName.length || !this.nameIs(start, lowerName)) continue;
      let field = this.trimmed(colon + 1, o[i + 2] as number);
      // Folded continuation lines (obsolete, RFC 9112 §5.2) join the value with a space.
      for (let j = i + 3; j < this.used && o[j + 1] === -1; j += 3)
        field += ` ${this.trimmed(o[j] as number, o[j + 2] as number)}`;
      value = value === undefined ? field : `${value}, ${field}`;
    }
    return value;
  }

  has(lowerName: string): boolean {
    return this.get(lowerName) !== undefined;
  }

  *entries(): IterableIterator<[string, string]> {
    const seen = new Set<string>();
    const o = this.offsets;
    for (let i = 0; i < this.used; i += 3) {
      if (o[i + 1] === -1) continue;
      const name = this.text.slice(o[i], o[i + 1]).toLowerCase();
      if (seen.has(name)) continue;
      seen.add(name);
      yield [name, this.get(name) ?? ''];
    }
  }

  *fields(): IterableIterator<[string, string]> {
    const o = this.offsets;
    for (let i = 0; i < this.used; i += 3) {
      const start = o[i] as number;
      const colon = o[i + 1] as number;
      if (colon === -1) continue;
      let field = this.trimmed(colon + 1, o[i + 2] as number);
      for (let j = i + 3; j < this.used && o[j + 1] === -1; j += 3)
        field += ` ${this.trimmed(o[j] as number, o[j + 2] as number)}`;
      yield [this.text.slice(start, colon).toLowerCase(), field];
    }
  }

  private recordLine(start: number, end: number): string | null {
    const text = this.text;
    if (isWhitespace(text.charCodeAt(start))) {
      if (this.used === 0) return 'a folded header line comes before any header';
      this.record(start, -1, end);
      return null;
    }
    let colon = start;
    while (colon < end && text.charCodeAt(colon) !== COLON) colon += 1;
    if (colon === end || colon === start)
      return `a header line has no name: '${text.slice(start, Math.min(end, start + 60))}'`;
    for (let k = start; k < colon; k += 1) {
      const code = text.charCodeAt(k);
      if (code >= 128 || TOKEN_CHAR[code] !== 1)
        return `a header name is not a token: '${text.slice(start, Math.min(colon, start + 60))}'`;
    }
    this.record(start, colon, end);
    return null;
  }

  private record(start: number, colon: number, end: number): void {
    const o = this.offsets;
    o[this.used] = start;
    o[this.used + 1] = colon;
    o[this.used + 2] = end;
    this.used += 3;
  }

  /** `text` between `start` and `end` without the spaces and tabs around it, sliced once. */
  private trimmed(start: number, end: number): string {
    let from = start;
    let to = end;
    while (from < to && isWhitespace(this.text.charCodeAt(from))) from += 1;
    while (to > from && isWhitespace(this.text.charCodeAt(to - 1))) to -= 1;
    return this.text.slice(from, to);
  }

  /** Whether the name at `start` equals `lowerName` ignoring ASCII case (its length already matches). */
  private nameIs(start: number, lowerName: string): boolean {
    for (let k = 0; k < lowerName.length; k += 1) {
      let code = this.text.charCodeAt(start + k);
      if (code >= 65 && code <= 90) code += 32;
      if (code !== lowerName.charCodeAt(k)) return false;
    }
    return true;
  }
}

function digit(text: string, at: number): number {
  const code = text.charCodeAt(at) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}

/** The status code of `HTTP/1.x DDD[ reason]`, or -1 when the line is not one. */
function statusCodeOf(text: string, end: number): number {
  if (end < 12 || !text.startsWith('HTTP/1.') || text.charCodeAt(8) !== SP || (end > 12 && text.charCodeAt(12) !== SP))
    return -1;
  const minor = digit(text, 7);
  const hundreds = digit(text, 9);
  const tens = digit(text, 10);
  const units = digit(text, 11);
  if ((minor !== 0 && minor !== 1) || hundreds < 1 || tens < 0 || units < 0) return -1;
  return hundreds * 100 + tens * 10 + units;
}

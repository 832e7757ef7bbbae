import type { ExchangeError } from '../core/types.js';
import type { ResponseSink } from './http-call.js';

/**
 * Gathers a response body, decoding it once at the end; most bodies arrive in one piece, kept without an array.
 * It is the sink of a call whose body is read whole.
 */
export class TextCollector implements ResponseSink {
  statusCode = 0;
  private first: Buffer | null = null;
  private rest: Buffer[] | null = null;
  private decoded: string | null = null;

  /** Keeps a copy: the client may reuse the memory a chunk was read into. */
  add(chunk: Buffer): void {
    const copy = Buffer.from(chunk);
    if (this.first === null) this.first = copy;
    else (this.rest ??= []).push(copy);
    this.decoded = null;
  }

  onStart(statusCode: number): void {
    this.statusCode = statusCode;
  }

  onChunk(chunk: Buffer): ExchangeError | null {
    this.add(chunk);
    return null;
  }

  get text(): string {
    if (this.decoded === null) {
      const first = this.first;
      this.decoded =
        first === null
          ? ''
          : this.rest === null
            ? first.toString('utf8')
            : Buffer.concat([first, ...this.rest]).toString('utf8');
    }
    return this.decoded;
  }
}

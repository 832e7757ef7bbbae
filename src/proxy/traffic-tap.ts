import type { ExchangeError } from '../core/types.js';
import type { RingWriter } from './traffic-ring.js';

/** The kinds of record the forwarding side writes about each request it forwards (ids count requests from 1). */
export const TrafficKind = {
  /** The request went upstream: `METHOD PATH\n` and the body (a request that cannot be measured: no body). */
  request: 1,
  /** The response's head arrived: `status\ncontent-type\ncontent-encoding`. */
  head: 2,
  /** A piece of the response's body arrived, transfer coding removed. */
  data: 3,
  /** The response ended whole. */
  end: 4,
  /** The request failed: its error as JSON (`category`, `message`). */
  fail: 5,
  /** The request is being sent again on a fresh connection. */
  resent: 6,
  /** Records of the request were dropped (the measuring side was behind): it cannot be measured. */
  lost: 7,
} as const;

/** How often dropped requests are retried while the ring is full. */
const LOST_RETRY_MS = 50;

/**
 * Writes copies of forwarded traffic to the ring for the measuring side. Forwarding never waits on it: when the ring is
 * full, the request's records are dropped from then on, and the measuring side is told so as soon as there is room.
 */
export class TrafficTap {
  /** Requests whose records were dropped: nothing more is written for them until they end. */
  private readonly dropped = new Set<number>();
  /** Dropped requests the measuring side has not been told about yet. */
  private untold: number[] = [];
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly writer: RingWriter) {}

  request(id: number, atNs: number, method: string, path: string, body: Buffer | null): void {
    this.put(TrafficKind.request, id, atNs, Buffer.from(`${method} ${path}\n`, 'latin1'), body);
  }

  head(id: number, atNs: number, status: number, contentType: string, contentEncoding: string): void {
    this.put(TrafficKind.head, id, atNs, Buffer.from(`${status}\n${contentType}\n${contentEncoding}`, 'utf8'));
  }

  data(id: number, atNs: number, bytes: Buffer): void {
    this.put(TrafficKind.data, id, atNs, bytes);
  }

  end(id: number, atNs: number): void {
    this.put(TrafficKind.end, id, atNs);
    this.dropped.delete(id);
  }

  fail(id: number, atNs: number, error: ExchangeError): void {
    const text = JSON.stringify({ category: error.category, message: error.message });
    this.put(TrafficKind.fail, id, atNs, Buffer.from(text, 'utf8'));
    this.dropped.delete(id);
  }

  resent(id: number): void {
    this.put(TrafficKind.resent, id, 0);
  }

  /** Stops retrying (the forwarding side is closing). */
  close(): void {
    if (this.retryTimer !== null) clearInterval(this.retryTimer);
    this.retryTimer = null;
  }

  private put(kind: number, id: number, atNs: number, first: Buffer | null = null, second: Buffer | null = null): void {
    if (this.untold.length > 0) this.tellDropped();
    if (this.dropped.has(id)) return;
    if (this.writer.write(kind, id, atNs, first, second)) return;
    // A request that is over needs no more dropping: the measuring side only needs to hear it cannot be measured.
    if (kind !== TrafficKind.end && kind !== TrafficKind.fail) this.dropped.add(id);
    this.untold.push(id);
    this.retryTimer ??= setInterval(() => this.tellDropped(), LOST_RETRY_MS).unref();
  }

  private tellDropped(): void {
    let told = 0;
    while (told < this.untold.length && this.writer.write(TrafficKind.lost, this.untold[told] ?? 0, 0)) told += 1;
    this.untold = told === this.untold.length ? [] : this.untold.slice(told);
    if (this.untold.length === 0 && this.retryTimer !== null) {
      clearInterval(this.retryTimer);
      this.retryTimer = null;
    }
  }
}

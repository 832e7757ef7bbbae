/** One request's place in a deadline queue: `expire` is called if it is still pending when its time is up. */
export interface Deadline {
  deadlineMs: number;
  /** Dropped (set to null) when the request settles, so a finished request is not kept alive by the queue. */
  owner: { expire(): void } | null;
}

/**
 * Request timeouts without a timer per request. Every request of a target has the same timeout, so deadlines
 * arrive in insertion order: a FIFO queue and one sweeping interval replace thousands of timers, which matters
 * at tens of thousands of requests per second. A timeout fires up to `resolutionMs` late.
 */
export class DeadlineQueue {
  private entries: Deadline[] = [];
  private head = 0;
  /** Entries whose owner is still waiting (not cancelled, not expired). */
  private pending = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly timeoutMs: number,
    private readonly resolutionMs = 10,
  ) {}

  /** Starts the clock on one request; `cancel` the returned entry when the request settles. */
  add(owner: { expire(): void }): Deadline {
    const entry: Deadline = { deadlineMs: performance.now() + this.timeoutMs, owner };
    this.entries.push(entry);
    this.pending += 1;
    if (this.timer === null) {
      this.timer = setInterval(() => this.sweep(), Math.min(this.resolutionMs, this.timeoutMs));
      this.timer.unref();
    }
    return entry;
  }

  /** The request settled in time: its entry will not expire. */
  cancel(entry: Deadline): void {
    if (entry.owner === null) return;
    entry.owner = null;
    this.pending -= 1;
  }

  private sweep(): void {
    const now = performance.now();
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head] as Deadline;
      if (entry.owner !== null && entry.deadlineMs > now) break;
      this.head += 1;
      const owner = entry.owner;
      if (owner !== null) {
        this.cancel(entry);
        owner.expire();
      }
    }
    const waiting = this.entries.length - this.head;
    if (waiting === 0) {
      this.entries = [];
      this.head = 0;
      if (this.timer !== null) clearInterval(this.timer);
      this.timer = null;
    } else if (waiting > 1024 && waiting > 4 * this.pending) {
      // One slow request at the head holds back every settled entry behind it; drop those, keeping the order.
      this.entries = this.entries.slice(this.head).filter((e) => e.owner !== null);
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}

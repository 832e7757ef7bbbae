interface Deadline {
  deadlineMs: number;
  /** Dropped as soon as the request settles, so a finished request's objects are not kept alive by the queue. */
  onExpire: (() => void) | null;
}

/**
 * Request timeouts without a timer per request. Every request of a target has the same timeout, so deadlines
 * arrive in insertion order: a FIFO queue and one sweeping interval replace thousands of timers, which matters
 * at tens of thousands of requests per second. A timeout fires up to `resolutionMs` late.
 */
export class DeadlineQueue {
  private entries: Deadline[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly timeoutMs: number,
    private readonly resolutionMs = 10,
  ) {}

  /** Starts the clock on one request; the returned function cancels it. */
  add(onExpire: () => void): () => void {
    const entry: Deadline = { deadlineMs: performance.now() + this.timeoutMs, onExpire };
    this.entries.push(entry);
    if (this.timer === null) {
      this.timer = setInterval(() => this.sweep(), Math.min(this.resolutionMs, this.timeoutMs));
      this.timer.unref();
    }
    return () => {
      entry.onExpire = null;
    };
  }

  private sweep(): void {
    const now = performance.now();
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head] as Deadline;
      if (entry.onExpire !== null && entry.deadlineMs > now) break;
      this.head += 1;
      const expire = entry.onExpire;
      entry.onExpire = null;
      expire?.();
    }
    if (this.head >= this.entries.length) {
      this.entries = [];
      this.head = 0;
      if (this.timer !== null) clearInterval(this.timer);
      this.timer = null;
    } else if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}

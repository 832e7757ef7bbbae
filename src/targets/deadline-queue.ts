/**
 * Request timeouts without a timer per request. Every request of a target has the same timeout, so deadlines
 * arrive in insertion order: a FIFO queue and one sweeping interval replace thousands of timers, which matters
 * at tens of thousands of requests per second. A timeout fires up to `resolutionMs` late.
 */
export class DeadlineQueue {
  private readonly entries: { deadlineMs: number; onExpire: () => void; done: boolean }[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly timeoutMs: number,
    private readonly resolutionMs = 10,
  ) {}

  /** Starts the clock on one request; the returned function cancels it. */
  add(onExpire: () => void): () => void {
    const entry = { deadlineMs: performance.now() + this.timeoutMs, onExpire, done: false };
    this.entries.push(entry);
    if (this.timer === null) {
      this.timer = setInterval(() => this.sweep(), Math.min(this.resolutionMs, this.timeoutMs));
      this.timer.unref();
    }
    return () => {
      entry.done = true;
    };
  }

  private sweep(): void {
    const now = performance.now();
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head];
      if (entry === undefined || (!entry.done && entry.deadlineMs > now)) break;
      this.head += 1;
      if (!entry.done) {
        entry.done = true;
        entry.onExpire();
      }
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
    if (this.head >= this.entries.length && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
      this.entries.length = 0;
      this.head = 0;
    }
  }
}

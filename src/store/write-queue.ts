/**
 * Store writes made one after another in the order they were asked for, without the caller waiting on them (a timer,
 * a request in flight); each write's failure goes to its own handler, and `drained()` waits for every write so far.
 */
export class WriteQueue {
  private tail: Promise<void> = Promise.resolve();

  push(write: () => Promise<unknown>, onError: (error: unknown) => void): void {
    this.tail = this.tail.then(write).then(() => undefined, onError);
  }

  drained(): Promise<void> {
    return this.tail;
  }
}

import { monotonicNs, NS_PER_MS } from '../core/clock.js';

/** Timers fire up to about a millisecond late: sleep on a timer until this close to a deadline, then poll. */
const POLL_WINDOW_NS = 1.5 * NS_PER_MS;
/** This close to a deadline, wait on the clock synchronously instead of yielding. */
const SPIN_WINDOW_NS = 20_000;

export interface OpenLoopOptions {
  /** Arrival index and intended send time (monotonic ns), in order. */
  arrivals: Iterator<[number, number]>;
  /** Stop before the arrival with this index; null for no count limit. */
  maxRequests: number | null;
  /** Stop before arrivals due at or after this time; null for no time limit. */
  stopSendingAt: number | null;
  /** Requests in flight at most; a due request waits for a free slot (Infinity for no cap). */
  maxInFlight: number;
  signal: AbortSignal;
  /** Sends one request; settles when it has been recorded. */
  send(index: number, intendedAt: number): Promise<void>;
}

/**
 * Sends requests on an open-loop schedule of absolute deadlines: a late send never pushes later ones back.
 * Waits on a timer while a deadline is far, polls with setImmediate (letting I/O run) in its last 1.5 ms and spins
 * on the clock in its last 20 µs. Written with callbacks rather than async/await, because a promise per poll at
 * thousands of requests per second makes enough garbage for collection pauses to delay sends.
 * Resolves when sending has stopped and every request sent has settled.
 */
export function runOpenLoop(options: OpenLoopOptions): Promise<void> {
  return new Promise((resolve) => {
    let inFlight = 0;
    let stopped = false;
    let waitingForSlot = false;
    let timer: NodeJS.Timeout | null = null;
    let immediate: NodeJS.Immediate | null = null;
    let next = options.arrivals.next();

    const finishIfDone = (): void => {
      if (stopped && inFlight === 0) resolve();
    };
    const stop = (): void => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      if (immediate !== null) clearImmediate(immediate);
      options.signal.removeEventListener('abort', stop);
      finishIfDone();
    };
    const settled = (): void => {
      inFlight -= 1;
      if (waitingForSlot) {
        waitingForSlot = false;
        tick();
      }
      finishIfDone();
    };
    const tick = (): void => {
      timer = null;
      immediate = null;
      if (stopped) return;
      if (options.signal.aborted) return stop();
      for (;;) {
        if (next.done === true) return stop();
        const [index, intendedAt] = next.value;
        if (options.maxRequests !== null && index >= options.maxRequests) return stop();
        if (options.stopSendingAt !== null && intendedAt >= options.stopSendingAt) return stop();
        let remaining = intendedAt - monotonicNs();
        if (remaining > POLL_WINDOW_NS) {
          timer = setTimeout(tick, (remaining - POLL_WINDOW_NS) / NS_PER_MS);
          return;
        }
        if (remaining > SPIN_WINDOW_NS) {
          immediate = setImmediate(tick);
          return;
        }
        while (remaining > 0) remaining = intendedAt - monotonicNs();
        if (inFlight >= options.maxInFlight) {
          // At the cap the request waits for a free slot; the wait shows in its scheduleLag and e2eFromIntended.
          waitingForSlot = true;
          return;
        }
        inFlight += 1;
        options.send(index, intendedAt).then(settled, settled);
        next = options.arrivals.next();
      }
    };
    options.signal.addEventListener('abort', stop, { once: true });
    tick();
  });
}

import { setTimeout as sleep } from 'node:timers/promises';
import { monotonicNs, NS_PER_MS } from '../core/clock.js';

/** Timers fire late by up to about a millisecond; sleep until this close to a deadline, then poll. */
const SPIN_WINDOW_NS = 1.5 * NS_PER_MS;

/**
 * Resolves at the absolute monotonic deadline, or early if the signal aborts.
 * Sleeps on a timer while far away and polls with setImmediate for the last stretch, which keeps
 * sends within tens of microseconds of their deadline while letting I/O callbacks run.
 */
export async function waitUntil(deadlineNs: number, signal: AbortSignal): Promise<void> {
  for (;;) {
    if (signal.aborted) return;
    const remaining = deadlineNs - monotonicNs();
    if (remaining <= 0) return;
    if (remaining > SPIN_WINDOW_NS) {
      await sleep((remaining - SPIN_WINDOW_NS) / NS_PER_MS, undefined, { signal }).catch(() => undefined);
    } else {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * Calls `fn` at `dueAtMs` (performance.now() time), never before. A timer alone can fire up to a millisecond early,
 * because libuv measures timeouts from the time it cached at the start of the loop's iteration; so a timer that
 * fires early is followed by polling with setImmediate (which lets I/O run) until the deadline has passed.
 */
export function atDeadline(dueAtMs: number, fn: () => void): void {
  const check = (): void => {
    const remainingMs = dueAtMs - performance.now();
    if (remainingMs <= 0) fn();
    else if (remainingMs > 1) setTimeout(check, remainingMs);
    else setImmediate(check);
  };
  check();
}

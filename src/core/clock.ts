/**
 * Monotonic time in nanoseconds as a plain number.
 * CLOCK_MONOTONIC is shared by all threads of the process, so worker timestamps compare directly.
 * A double holds nanoseconds exactly for 104 days of uptime and to within 2 ns for years after,
 * far below the microsecond precision the histograms keep.
 */
export function monotonicNs(): number {
  return Number(process.hrtime.bigint());
}

export const NS_PER_MS = 1_000_000;
export const NS_PER_S = 1_000_000_000;
export const NS_PER_US = 1_000;

/** One load step as the knee sees it: throughput achieved and p95 end-to-end latency. */
export interface LoadPoint {
  label: string;
  requestsPerS: number;
  p95LatencyMs: number | null;
}

/** How much slower than at the lightest load a step may be and still count as unsaturated. */
export const KNEE_LATENCY_FACTOR = 2;

/**
 * The saturation knee of a sweep: among steps ordered by throughput, the highest-throughput step whose p95
 * end-to-end latency stays within KNEE_LATENCY_FACTOR × the lightest step's. Past it, more offered load buys
 * queueing rather than throughput. Null when no step has a latency.
 */
export function saturationKnee(points: readonly LoadPoint[]): LoadPoint | null {
  const measured = points
    .filter((p): p is LoadPoint & { p95LatencyMs: number } => p.p95LatencyMs !== null)
    .sort((a, b) => a.requestsPerS - b.requestsPerS);
  const lightest = measured[0];
  if (lightest === undefined) return null;
  const limit = lightest.p95LatencyMs * KNEE_LATENCY_FACTOR;
  return measured.filter((p) => p.p95LatencyMs <= limit).at(-1) ?? lightest;
}

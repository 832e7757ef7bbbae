import { HistogramSeries } from './histogram-series.js';

/** Seconds, from 1 ms to 80 s: first tokens and whole requests of LLM servers. */
export const LATENCY_BUCKETS_S = [
  0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 20,
  40, 80,
];
/** Seconds, from 0.5 ms to 2 s: the gap between tokens. */
export const TOKEN_GAP_BUCKETS_S = [
  0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1,
  2,
];
/** Tokens per request, 1 to 128k in powers of two. */
export const TOKEN_COUNT_BUCKETS = Array.from({ length: 18 }, (_, i) => 2 ** i);

/**
 * Every series one label set (a model and an endpoint) has in yardstick's exchange metrics, found once per exchange
 * so that measuring it builds no label keys. A counter or gauge is null until first touched, and a histogram has no
 * observations until first observed: neither is written out before then.
 */
export class ExchangeSeries {
  inFlight: number | null = null;
  /** Ended requests by outcome. */
  readonly outcomes = new Map<string, number>();
  good: number | null = null;
  readonly e2e = new HistogramSeries(LATENCY_BUCKETS_S);
  readonly ttft = new HistogramSeries(LATENCY_BUCKETS_S);
  readonly ttfo = new HistogramSeries(LATENCY_BUCKETS_S);
  readonly itl = new HistogramSeries(TOKEN_GAP_BUCKETS_S);
  readonly tpot = new HistogramSeries(TOKEN_GAP_BUCKETS_S);
  readonly promptTokens = new HistogramSeries(TOKEN_COUNT_BUCKETS);
  readonly generationTokens = new HistogramSeries(TOKEN_COUNT_BUCKETS);
  promptTokensTotal: number | null = null;
  generationTokensTotal: number | null = null;
  /** Completed requests by finish reason. */
  readonly finishReasons = new Map<string, number>();

  /** `labels`: the series' label pairs as the exposition writes them (`model="…",endpoint="…"`). */
  constructor(readonly labels: string) {}
}

/** Adds `value` to a counter that may not have been touched yet. */
export function added(counter: number | null, value: number): number {
  return (counter ?? 0) + value;
}

/** Adds one to the count kept under `key`. */
export function countIn(counts: Map<string, number>, key: string, value = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + value);
}

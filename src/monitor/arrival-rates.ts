/** Seconds of history kept: the peak is the highest one-minute rate of the last hour. */
const HISTORY_S = 3600;
/** The span of the current rate, in seconds. */
export const RATE_SPAN_S = 60;

/**
 * Requests per second of live traffic from per-second counts over the last hour: the current rate (the last minute's
 * mean) and the peak (the highest one-minute mean of the last hour). Before a minute has passed, the current rate is
 * the mean since the start.
 */
export class ArrivalRates {
  private readonly counts = new Float64Array(HISTORY_S);
  private readonly startS: number;
  private lastS: number;

  constructor(nowMs: number = Date.now()) {
    this.startS = Math.floor(nowMs / 1000);
    this.lastS = this.startS;
  }

  private advance(nowS: number): void {
    if (nowS <= this.lastS) return;
    const steps = Math.min(nowS - this.lastS, HISTORY_S);
    for (let k = 1; k <= steps; k += 1) this.counts[(this.lastS + k) % HISTORY_S] = 0;
    this.lastS = nowS;
  }

  /** One request, counted in the second it ended. */
  add(nowMs: number = Date.now()): void {
    const nowS = Math.floor(nowMs / 1000);
    this.advance(nowS);
    const slot = nowS % HISTORY_S;
    this.counts[slot] = (this.counts[slot] as number) + 1;
  }

  private span(nowS: number): number {
    return Math.max(1, Math.min(RATE_SPAN_S, nowS - this.startS + 1));
  }

  /** The mean rate of the last minute (since the start, before a minute has passed). */
  currentPerS(nowMs: number = Date.now()): number {
    const nowS = Math.floor(nowMs / 1000);
    this.advance(nowS);
    const span = this.span(nowS);
    let sum = 0;
    for (let k = 0; k < span; k += 1) sum += this.counts[(nowS - k + HISTORY_S) % HISTORY_S] as number;
    return sum / span;
  }

  /** The highest one-minute mean rate of the last hour (of the time since the start, when shorter). */
  peakPerS(nowMs: number = Date.now()): number {
    const nowS = Math.floor(nowMs / 1000);
    this.advance(nowS);
    const history = Math.min(HISTORY_S, nowS - this.startS + 1);
    const span = this.span(nowS);
    let sum = 0;
    let peak = 0;
    for (let k = 0; k < history; k += 1) {
      sum += this.counts[(nowS - (history - 1) + k + HISTORY_S) % HISTORY_S] as number;
      if (k >= span) sum -= this.counts[(nowS - (history - 1) + k - span + HISTORY_S) % HISTORY_S] as number;
      if (k >= span - 1) peak = Math.max(peak, sum / span);
    }
    return peak;
  }
}

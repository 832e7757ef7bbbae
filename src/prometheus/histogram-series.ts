import { sampleLine } from './exposition.js';

/**
 * One labelled series of a Prometheus histogram: a count per bucket, the sum and the count of what it observed.
 * Observing allocates nothing, and a value seen `times` times over is one call (a chunk's tokens share its gap).
 */
export class HistogramSeries {
  /** Observations per bucket, not cumulated; the last one is past every bound (`+Inf`). */
  private readonly counts: Float64Array;
  sum = 0;
  count = 0;

  /** `bounds`: the buckets' upper bounds, ascending; a value equal to a bound falls in its bucket. */
  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** Throws on a value that is not a finite number (as prom-client does), unless it is observed no times. */
  observe(value: number, times = 1): void {
    if (times === 0) return;
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    let bucket = 0;
    while (bucket < this.bounds.length && value > (this.bounds[bucket] ?? Infinity)) bucket += 1;
    this.counts[bucket] = (this.counts[bucket] ?? 0) + times;
    for (let i = 0; i < times; i += 1) this.sum += value;
    this.count += times;
  }

  /** The series' `_bucket` (cumulative, `le` first), `_sum` and `_count` lines; `labels` as `labelPairs` writes them. */
  lines(name: string, labels: string): string[] {
    const lines: string[] = [];
    const rest = labels === '' ? '' : `,${labels}`;
    let cumulative = 0;
    this.bounds.forEach((bound, i) => {
      cumulative += this.counts[i] ?? 0;
      lines.push(sampleLine(`${name}_bucket`, `le="${bound}"${rest}`, cumulative));
    });
    lines.push(sampleLine(`${name}_bucket`, `le="+Inf"${rest}`, this.count));
    lines.push(sampleLine(`${name}_sum`, labels, this.sum));
    lines.push(sampleLine(`${name}_count`, labels, this.count));
    return lines;
  }
}

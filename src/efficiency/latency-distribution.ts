import hdr from 'hdr-histogram-js';
import { NS_PER_US } from '../core/clock.js';

/** The recorded values of a latency histogram: each distinct value (ms, ascending) and how many requests had it. */
export interface LatencyDistribution {
  valuesMs: Float64Array;
  counts: Float64Array;
  total: number;
}

interface IterationValue {
  valueIteratedTo: number;
  countAtValueIteratedTo: number;
}

interface ValuesIterator {
  reset(): void;
  hasNext(): boolean;
  next(): IterationValue;
}

function isValuesIterator(value: unknown): value is ValuesIterator {
  return (
    typeof value === 'object' &&
    value !== null &&
    'reset' in value &&
    typeof value.reset === 'function' &&
    'hasNext' in value &&
    typeof value.hasNext === 'function' &&
    'next' in value &&
    typeof value.next === 'function'
  );
}

/**
 * Decodes a stored latency histogram (`LatencyHistogram.serialize().encoded`) into its distinct values and counts;
 * null when the text is not one. Each value is its bucket's highest equivalent value, as the reported percentiles
 * are.
 */
export function decodeDistribution(encoded: string): LatencyDistribution | null {
  let histogram: ReturnType<typeof hdr.decodeFromCompressedBase64>;
  try {
    histogram = hdr.decodeFromCompressedBase64(encoded, 32, false);
  } catch {
    return null;
  }
  try {
    const iterator: unknown = 'recordedValuesIterator' in histogram ? histogram.recordedValuesIterator : null;
    if (!isValuesIterator(iterator)) return null;
    iterator.reset();
    const values: number[] = [];
    const counts: number[] = [];
    while (iterator.hasNext()) {
      const step = iterator.next();
      values.push(step.valueIteratedTo / NS_PER_US);
      counts.push(step.countAtValueIteratedTo);
    }
    const total = counts.reduce((a, b) => a + b, 0);
    return total === 0 ? null : { valuesMs: Float64Array.from(values), counts: Float64Array.from(counts), total };
  } finally {
    histogram.destroy();
  }
}

/** The q-quantile of counts over sorted values, as the histogram reports it: the value of rank ⌈q·n⌉ (at least 1). */
export function quantileOfCounts(valuesMs: Float64Array, counts: ArrayLike<number>, total: number, q: number): number {
  const rank = Math.max(1, Math.ceil(q * total - 1e-9));
  let seen = 0;
  for (let i = 0; i < valuesMs.length; i += 1) {
    seen += counts[i] as number;
    if (seen >= rank) return valuesMs[i] as number;
  }
  return valuesMs[valuesMs.length - 1] ?? Number.NaN;
}

/** The mean of counts over values. */
export function meanOfCounts(valuesMs: Float64Array, counts: ArrayLike<number>, total: number): number {
  let sum = 0;
  for (let i = 0; i < valuesMs.length; i += 1) sum += (valuesMs[i] as number) * (counts[i] as number);
  return sum / total;
}

import type { Label } from './labels.js';

/** Counts of (true class, predicted class) pairs; rows are true classes, columns predicted, in `labels` order. */
export interface ConfusionMatrix {
  labels: Label[];
  /** Row-major k×k counts. */
  counts: Float64Array;
  size: number;
}

/** Builds the confusion matrix from integer class codes in one pass. */
export function confusionFromCodes(trueCodes: Int32Array, predCodes: Int32Array, labels: Label[]): ConfusionMatrix {
  const size = labels.length;
  const counts = new Float64Array(size * size);
  for (let i = 0; i < trueCodes.length; i += 1) {
    const cell = (trueCodes[i] as number) * size + (predCodes[i] as number);
    counts[cell] = (counts[cell] as number) + 1;
  }
  return { labels, counts, size };
}

/** Row sums (true counts per class). */
export function trueSums(cm: ConfusionMatrix): Float64Array {
  const sums = new Float64Array(cm.size);
  for (let r = 0; r < cm.size; r += 1)
    for (let c = 0; c < cm.size; c += 1) sums[r] = (sums[r] as number) + (cm.counts[r * cm.size + c] as number);
  return sums;
}

/** Column sums (predicted counts per class). */
export function predSums(cm: ConfusionMatrix): Float64Array {
  const sums = new Float64Array(cm.size);
  for (let r = 0; r < cm.size; r += 1)
    for (let c = 0; c < cm.size; c += 1) sums[c] = (sums[c] as number) + (cm.counts[r * cm.size + c] as number);
  return sums;
}

/** The diagonal (true positives per class). */
export function diagonal(cm: ConfusionMatrix): Float64Array {
  const d = new Float64Array(cm.size);
  for (let i = 0; i < cm.size; i += 1) d[i] = cm.counts[i * cm.size + i] as number;
  return d;
}

/**
 * The matrix normalized as scikit-learn's `normalize=`: `true` divides each row by its sum, `pred` each column,
 * `all` the whole; an empty row or column gives zeros (scikit-learn replaces the 0/0 with 0).
 */
export function normalizeConfusion(cm: ConfusionMatrix, by: 'true' | 'pred' | 'all'): number[][] {
  const rows = trueSums(cm);
  const cols = predSums(cm);
  const total = rows.reduce((a, b) => a + b, 0);
  const out: number[][] = [];
  for (let r = 0; r < cm.size; r += 1) {
    const row: number[] = [];
    for (let c = 0; c < cm.size; c += 1) {
      const denominator = by === 'true' ? (rows[r] as number) : by === 'pred' ? (cols[c] as number) : total;
      row.push(denominator === 0 ? 0 : (cm.counts[r * cm.size + c] as number) / denominator);
    }
    out.push(row);
  }
  return out;
}

/** The counts as nested arrays, for JSON. */
export function countsAsRows(cm: ConfusionMatrix): number[][] {
  return Array.from({ length: cm.size }, (_, r) => Array.from(cm.counts.subarray(r * cm.size, (r + 1) * cm.size)));
}

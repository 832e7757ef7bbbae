import { usageError } from '../core/errors.js';

/** A class label as it appears in a predictions file. */
export type Label = string | number;

/** Labels mapped to dense integer codes, in scikit-learn's order (`unique_labels`: sorted). */
export interface EncodedLabels {
  /** The distinct labels, sorted: numbers numerically, strings lexically. */
  labels: Label[];
  trueCodes: Int32Array;
  predCodes: Int32Array;
}

/** scikit-learn's order of class labels: numbers numerically, strings lexically. */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Encodes true and predicted labels over their sorted union, as scikit-learn's `unique_labels` orders them.
 * Mixing numbers and strings is refused, as scikit-learn does.
 */
export function encodeLabels(yTrue: readonly Label[], yPred: readonly Label[]): EncodedLabels {
  if (yTrue.length !== yPred.length) {
    throw usageError(
      'LENGTH_MISMATCH',
      `${yTrue.length} true labels but ${yPred.length} predictions`,
      'give one prediction per true label',
    );
  }
  const distinct = new Set<Label>();
  for (const label of yTrue) distinct.add(label);
  for (const label of yPred) distinct.add(label);
  const labels = [...distinct];
  const kinds = new Set(labels.map((l) => typeof l));
  if (kinds.size > 1)
    throw usageError(
      'MIXED_LABELS',
      'labels mix numbers and strings',
      'use one type for every label, e.g. all strings',
    );
  labels.sort(compareLabels);
  const code = new Map<Label, number>(labels.map((label, i) => [label, i]));
  const trueCodes = new Int32Array(yTrue.length);
  const predCodes = new Int32Array(yPred.length);
  for (let i = 0; i < yTrue.length; i += 1) {
    trueCodes[i] = code.get(yTrue[i] as Label) ?? 0;
    predCodes[i] = code.get(yPred[i] as Label) ?? 0;
  }
  return { labels, trueCodes, predCodes };
}

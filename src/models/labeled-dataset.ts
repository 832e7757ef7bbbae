/** One labelled example. `input` is what a model is sent: the text, or for tabular data a JSON object of the features. */
export interface LabeledExample {
  id: string;
  input: string;
  label: string;
  /** Tabular examples: the feature values in `featureNames` order. */
  features?: number[];
}

export interface LabeledDataset {
  name: string;
  kind: 'text' | 'tabular';
  /** Tabular datasets: the feature columns, in order. */
  featureNames: string[];
  examples: LabeledExample[];
  /** Where the data comes from, for the record. */
  source: string;
}

export type SplitName = 'train' | 'validation' | 'test';

export const SPLIT_NAMES: readonly SplitName[] = ['train', 'validation', 'test'];

export interface DatasetSplits {
  train: LabeledExample[];
  validation: LabeledExample[];
  test: LabeledExample[];
}

/** The labels of a dataset, sorted, so that class indices are the same wherever they are computed. */
export function labelsOf(examples: readonly LabeledExample[]): string[] {
  return [...new Set(examples.map((e) => e.label))].sort();
}

/**
 * At most `count` examples spread evenly over the list. Splits keep the dataset's order, which often groups labels
 * or sources together, so a prefix would not be representative; every ⌈n/count⌉-th example is.
 */
export function spreadSample<T>(examples: readonly T[], count: number): T[] {
  if (examples.length <= count) return [...examples];
  return Array.from({ length: count }, (_, i) => examples[Math.floor((i * examples.length) / count)] as T);
}

import { loadIris } from './iris.js';
import type { ReferenceDatasetName } from './reference-catalog.js';
import type { DatasetSplits, LabeledDataset, SplitName } from './labeled-dataset.js';
import { loadSpamCorpus } from './spam-corpus.js';
import { DEFAULT_SPLIT, stratifiedSplit } from './stratified-split.js';

/** Datasets shipped by npm packages, so reference models train offline on any machine. */
export const REFERENCE_DATASETS = {
  'spam-assassin': loadSpamCorpus,
  iris: loadIris,
} as const;

/** The split every reference model and every `builtin:` dataset uses: one seed, so the test split is never trained on. */
export const REFERENCE_SEED = 1;

const loaded = new Map<ReferenceDatasetName, { dataset: LabeledDataset; splits: DatasetSplits }>();

/** A reference dataset and its seeded, stratified, leak-free train/validation/test split (loaded once per process). */
export function referenceDataset(name: ReferenceDatasetName): { dataset: LabeledDataset; splits: DatasetSplits } {
  let entry = loaded.get(name);
  if (entry === undefined) {
    const dataset = REFERENCE_DATASETS[name]();
    entry = { dataset, splits: stratifiedSplit(dataset.examples, DEFAULT_SPLIT, REFERENCE_SEED) };
    loaded.set(name, entry);
  }
  return entry;
}

/** One split of a reference dataset as rows for an eval suite: `id`, `input` and `expected` (the label). */
export function referenceRows(
  name: ReferenceDatasetName,
  split: SplitName,
): { id: string; input: string; expected: string }[] {
  return referenceDataset(name).splits[split].map((e) => ({ id: e.id, input: e.input, expected: e.label }));
}

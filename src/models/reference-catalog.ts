import type { ModelFamily } from './classifier.js';

/** The datasets reference models train on, each shipped by an npm package (see reference-models.ts). */
export const REFERENCE_DATASET_NAMES = ['spam-assassin', 'iris'] as const;

export type ReferenceDatasetName = (typeof REFERENCE_DATASET_NAMES)[number];

/** The reference models: three sizes and speeds of spam filter, and a tabular classifier. */
export const REFERENCE_MODELS = {
  'spam-nb': { dataset: 'spam-assassin', family: 'naive-bayes' },
  'spam-logreg': { dataset: 'spam-assassin', family: 'logistic-regression' },
  'spam-knn': { dataset: 'spam-assassin', family: 'knn' },
  'iris-forest': { dataset: 'iris', family: 'random-forest' },
} as const satisfies Record<string, { dataset: ReferenceDatasetName; family: ModelFamily }>;

export type ReferenceModelName = keyof typeof REFERENCE_MODELS;

export const REFERENCE_MODEL_NAMES = Object.keys(REFERENCE_MODELS) as ReferenceModelName[];

export function isReferenceModel(name: string): name is ReferenceModelName {
  return Object.hasOwn(REFERENCE_MODELS, name);
}

export function isReferenceDataset(name: string): name is ReferenceDatasetName {
  return (REFERENCE_DATASET_NAMES as readonly string[]).includes(name);
}

import type { ModelFamily, ModelSettings } from './classifier.js';

/** The datasets reference models train on, each shipped by an npm package (see reference-models.ts). */
export const REFERENCE_DATASET_NAMES = ['spam-assassin', 'iris'] as const;

export type ReferenceDatasetName = (typeof REFERENCE_DATASET_NAMES)[number];

/** The reference models: three sizes and speeds of spam filter, and a tabular classifier. */
export const REFERENCE_MODELS = {
  'spam-nb': { dataset: 'spam-assassin', family: 'naive-bayes', settings: ['terms'] },
  'spam-logreg': {
    dataset: 'spam-assassin',
    family: 'logistic-regression',
    settings: ['terms', 'steps', 'learningRate'],
  },
  'spam-knn': { dataset: 'spam-assassin', family: 'knn', settings: ['terms', 'k'] },
  'iris-forest': { dataset: 'iris', family: 'random-forest', settings: ['trees'] },
} as const satisfies Record<
  string,
  { dataset: ReferenceDatasetName; family: ModelFamily; settings: readonly (keyof ModelSettings)[] }
>;

export type ReferenceModelName = keyof typeof REFERENCE_MODELS;

export const REFERENCE_MODEL_NAMES = Object.keys(REFERENCE_MODELS) as ReferenceModelName[];

export function isReferenceModel(name: string): name is ReferenceModelName {
  return Object.hasOwn(REFERENCE_MODELS, name);
}

export function isReferenceDataset(name: string): name is ReferenceDatasetName {
  return (REFERENCE_DATASET_NAMES as readonly string[]).includes(name);
}

/** The hyperparameters a reference model takes (`hyperparameters:` on a builtin target). */
export function settingsOf(name: ReferenceModelName): readonly (keyof ModelSettings)[] {
  return REFERENCE_MODELS[name].settings;
}

/**
 * The name a reference model is served under: its own with yardstick's defaults, else with its hyperparameters
 * (`spam-knn(k=5)`), so two targets that differ only in them reach two models.
 */
export function servedModelName(name: ReferenceModelName, settings: ModelSettings): string {
  const given = Object.entries(settings)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${String(value)}`);
  return given.length === 0 ? name : `${name}(${given.join(',')})`;
}

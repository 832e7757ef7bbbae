import type { ModelSettings } from './classifier.js';
import { REFERENCE_MODELS, type ReferenceModelName } from './reference-catalog.js';
import { referenceDataset, REFERENCE_SEED } from './reference-datasets.js';
import { trainModel, type TrainedModel } from './train-model.js';

/** Trains a reference model on its dataset's training split, with the hyperparameters given (defaults for the rest). */
export function trainReferenceModel(
  name: ReferenceModelName,
  settings: ModelSettings = {},
  servedName: string = name,
): TrainedModel {
  const spec = REFERENCE_MODELS[name];
  const { dataset, splits } = referenceDataset(spec.dataset);
  return trainModel(servedName, spec.family, dataset, splits, REFERENCE_SEED, settings);
}

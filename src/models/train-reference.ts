import { REFERENCE_MODELS, type ReferenceModelName } from './reference-catalog.js';
import { referenceDataset, REFERENCE_SEED } from './reference-datasets.js';
import { trainModel, type TrainedModel } from './train-model.js';

/** Trains a reference model on its dataset's training split. */
export function trainReferenceModel(name: ReferenceModelName): TrainedModel {
  const spec = REFERENCE_MODELS[name];
  const { dataset, splits } = referenceDataset(spec.dataset);
  return trainModel(name, spec.family, dataset, splits, REFERENCE_SEED);
}

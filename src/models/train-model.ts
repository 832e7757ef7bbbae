import { monotonicNs, NS_PER_MS } from '../core/clock.js';
import type { ModelFamily, ModelSettings, TrainedClassifier } from './classifier.js';
import { labelsOf, spreadSample, type DatasetSplits, type LabeledDataset } from './labeled-dataset.js';
import { trainTabularClassifier } from './tabular-classifiers.js';
import { trainTextClassifier } from './text-classifiers.js';

/** A trained model with how long training took and how it did on the validation split. */
export interface TrainedModel {
  name: string;
  dataset: string;
  classifier: TrainedClassifier;
  trainMs: number;
  /** Accuracy on `validationCount` validation examples spread over the split (at most VALIDATION_SCORED). */
  validationAccuracy: number | null;
  validationCount: number;
  splitSizes: { train: number; validation: number; test: number };
}

/** Validation examples scored after training: enough to see a broken model, few enough for a slow one (k-NN). */
const VALIDATION_SCORED = 300;

/** Trains a model of the family on a dataset's training split; validation examples choose settings and are scored. */
export function trainModel(
  name: string,
  family: ModelFamily,
  dataset: LabeledDataset,
  splits: DatasetSplits,
  seed: number,
  settings: ModelSettings = {},
): TrainedModel {
  const startedAt = monotonicNs();
  const labels = labelsOf([...splits.train, ...splits.validation, ...splits.test]);
  const classifier =
    dataset.kind === 'text'
      ? trainTextClassifier(family, { train: splits.train, validation: splits.validation, labels }, settings)
      : trainTabularClassifier(
          family,
          {
            train: splits.train,
            validation: splits.validation,
            labels,
            featureNames: dataset.featureNames,
            seed,
          },
          settings,
        );
  const trainMs = (monotonicNs() - startedAt) / NS_PER_MS;
  const scored = spreadSample(splits.validation, VALIDATION_SCORED);
  const correct = scored.filter((e) => classifier.predict(e.input).label === e.label).length;
  return {
    name,
    dataset: dataset.name,
    classifier,
    trainMs,
    validationAccuracy: scored.length === 0 ? null : correct / scored.length,
    validationCount: scored.length,
    splitSizes: { train: splits.train.length, validation: splits.validation.length, test: splits.test.length },
  };
}

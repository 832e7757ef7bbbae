import KNN from 'ml-knn';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { RandomForestClassifier } from 'ml-random-forest';
import {
  argmax,
  InvalidModelInput,
  voteShares,
  type ModelFamily,
  type ModelSettings,
  type TrainedClassifier,
} from './classifier.js';
import type { LabeledExample } from './labeled-dataset.js';
import { nearestClasses, oneVsRestPrediction, pickNeighbours } from './text-classifiers.js';

export interface TabularTraining {
  train: readonly LabeledExample[];
  validation: readonly LabeledExample[];
  labels: readonly string[];
  featureNames: readonly string[];
  seed: number;
}

export const TABULAR_MODEL_SETTINGS = {
  trees: 50,
  logisticSteps: 500,
  logisticLearningRate: 0.05,
  knnCandidates: [1, 3, 5, 7, 9, 15],
} as const;

/**
 * The feature values of an input: a JSON object with a number for every feature, or the numbers separated by
 * commas in the features' order.
 */
export function parseFeatureInput(input: string, featureNames: readonly string[]): number[] {
  const text = input.trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new InvalidModelInput('the input starts with { but is not JSON');
    }
    const record = parsed as Record<string, unknown>;
    return featureNames.map((name) => {
      const value = typeof record[name] === 'string' ? Number(record[name]) : record[name];
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new InvalidModelInput(
          `feature '${name}' is missing or not a number; the model reads ${featureNames.join(', ')}`,
        );
      return value;
    });
  }
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.length !== featureNames.length || values.some((v) => !Number.isFinite(v))) {
    throw new InvalidModelInput(
      `expected ${featureNames.length} numbers separated by commas (${featureNames.join(', ')}), or a JSON object of them`,
    );
  }
  return values;
}

function featuresOf(example: LabeledExample): number[] {
  if (example.features === undefined) throw new Error(`example ${example.id} has no feature values`);
  return example.features;
}

/** Centres and scales each feature by its training mean and standard deviation (a constant feature is only centred). */
function standardizer(rows: readonly number[][]): (row: readonly number[]) => number[] {
  const width = rows[0]?.length ?? 0;
  const means = Array.from({ length: width }, (_, j) => rows.reduce((a, r) => a + (r[j] ?? 0), 0) / rows.length);
  const sds = means.map(
    (mean, j) => Math.sqrt(rows.reduce((a, r) => a + ((r[j] ?? 0) - mean) ** 2, 0) / rows.length) || 1,
  );
  return (row) => row.map((v, j) => (v - (means[j] ?? 0)) / (sds[j] ?? 1));
}

/** Trains one tabular model on the training examples (the validation examples only choose settings). */
export function trainTabularClassifier(
  family: ModelFamily,
  data: TabularTraining,
  settings: ModelSettings = {},
): TrainedClassifier {
  const rows = data.train.map(featuresOf);
  const classes = data.train.map((e) => data.labels.indexOf(e.label));
  const read = (input: string): number[] => parseFeatureInput(input, data.featureNames);
  const common = { labels: data.labels, inputUnits: () => data.featureNames.length };
  switch (family) {
    case 'random-forest': {
      const trees = settings.trees ?? TABULAR_MODEL_SETTINGS.trees;
      const forest = new RandomForestClassifier({
        seed: data.seed,
        nEstimators: trees,
        noOOB: true,
        replacement: true,
      });
      forest.train(rows, classes);
      return {
        ...common,
        family,
        description: `random forest of ${trees} trees on ${data.featureNames.length} features`,
        predict(input) {
          const row = [read(input)];
          // Shares of the trees' votes, counted here: the library's predictProbability (2.1.0) reduces without an
          // initial value, so it drops the first tree's vote and adds that tree's label index instead.
          const votes = forest.predictionValues(row).getRow(0);
          const probabilities = voteShares(votes, data.labels.length);
          return { label: data.labels[argmax(probabilities)] ?? '', probabilities };
        },
      };
    }
    case 'logistic-regression': {
      const scale = standardizer(rows);
      const withIntercept = (row: readonly number[]): number[] => [1, ...scale(row)];
      const model = new LogisticRegression({
        numSteps: settings.steps ?? TABULAR_MODEL_SETTINGS.logisticSteps,
        learningRate: settings.learningRate ?? TABULAR_MODEL_SETTINGS.logisticLearningRate,
      });
      model.train(new Matrix(rows.map(withIntercept)), Matrix.columnVector(classes));
      return {
        ...common,
        family,
        description: `logistic regression on ${data.featureNames.length} standardized features`,
        predict: (input) => oneVsRestPrediction(model, new Matrix([withIntercept(read(input))]), data.labels),
      };
    }
    case 'knn': {
      const scale = standardizer(rows);
      const candidates = settings.k === undefined ? TABULAR_MODEL_SETTINGS.knnCandidates : [settings.k];
      const largest = Math.min(Math.max(...candidates), rows.length);
      const search = new KNN(rows.map(scale), classes, { k: largest });
      const k =
        settings.k === undefined
          ? pickNeighbours(
              (e) => nearestClasses(search, scale(featuresOf(e)), largest),
              data.validation,
              data.labels,
              candidates.filter((c) => c <= largest),
            )
          : largest;
      return {
        ...common,
        family,
        description: `${k}-nearest neighbours on ${data.featureNames.length} standardized features (k ${settings.k === undefined ? 'by validation' : 'given'})`,
        predict(input) {
          const probabilities = voteShares(nearestClasses(search, scale(read(input)), k), data.labels.length);
          return { label: data.labels[argmax(probabilities)] ?? '', probabilities };
        },
      };
    }
    case 'naive-bayes':
      throw new Error(
        'naive Bayes here is multinomial over words; tabular models are random-forest, logistic-regression and knn',
      );
  }
}

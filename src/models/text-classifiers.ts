import KNN from 'ml-knn';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { MultinomialNB } from 'ml-naivebayes';
import {
  argmax,
  softmax,
  voteShares,
  type ModelFamily,
  type ModelSettings,
  type TrainedClassifier,
} from './classifier.js';
import { spreadSample, type LabeledExample } from './labeled-dataset.js';
import { TextVocabulary } from './text-features.js';
import { wordTokens } from './tokenize.js';

export interface TextTraining {
  train: readonly LabeledExample[];
  validation: readonly LabeledExample[];
  labels: readonly string[];
}

/** Sizes of the text models: the vocabulary each reads, and the settings the libraries need. */
export const TEXT_MODEL_SETTINGS = {
  naiveBayesTerms: 2000,
  logisticTerms: 300,
  logisticSteps: 150,
  logisticLearningRate: 0.05,
  knnTerms: 300,
  knnCandidates: [1, 3, 5, 7, 9],
} as const;

/** Validation examples that choose k: each costs a full neighbour search, so a sample keeps training short. */
const KNN_VALIDATION_EXAMPLES = 200;

function tokenized(examples: readonly LabeledExample[]): string[][] {
  return examples.map((e) => wordTokens(e.input));
}

function classIndices(examples: readonly LabeledExample[], labels: readonly string[]): number[] {
  return examples.map((e) => labels.indexOf(e.label));
}

/** Multinomial naive Bayes (ml-naivebayes, Laplace smoothing) on word counts over the most frequent training words. */
function naiveBayes(
  data: TextTraining,
  documents: string[][],
  classes: number[],
  settings: ModelSettings,
): TrainedClassifier {
  const vocabulary = TextVocabulary.fit(documents, classes, data.labels.length, {
    maxTerms: settings.terms ?? TEXT_MODEL_SETTINGS.naiveBayesTerms,
    minDocuments: 2,
    selection: 'frequency',
  });
  const model = new MultinomialNB();
  model.train(
    documents.map((tokens) => Array.from(vocabulary.counts(tokens))),
    classes,
  );
  // The library predicts labels only; the posterior comes from its fitted log-priors and log-likelihoods.
  const logPrior = model.priorProbability.to1DArray();
  const logLikelihood = model.conditionalProbability.to2DArray();
  return {
    family: 'naive-bayes',
    description: `multinomial naive Bayes on counts of ${vocabulary.size} words`,
    labels: data.labels,
    inputUnits: (input) => wordTokens(input).length,
    predict(input) {
      const counts = vocabulary.counts(wordTokens(input));
      const scores = logPrior.map((prior, c) => {
        let score = prior;
        const row = logLikelihood[c] ?? [];
        for (let k = 0; k < counts.length; k += 1) if (counts[k] !== 0) score += (counts[k] ?? 0) * (row[k] ?? 0);
        return score;
      });
      const probabilities = softmax(scores);
      return { label: data.labels[argmax(probabilities)] ?? '', probabilities };
    },
  };
}

/**
 * Logistic regression (ml-logistic-regression: one-vs-rest, batch gradient descent) on TF-IDF of the words most
 * associated with the label (χ²), with a constant column for the intercept the library does not fit itself.
 */
function logisticRegression(
  data: TextTraining,
  documents: string[][],
  classes: number[],
  settings: ModelSettings,
): TrainedClassifier {
  const vocabulary = TextVocabulary.fit(documents, classes, data.labels.length, {
    maxTerms: settings.terms ?? TEXT_MODEL_SETTINGS.logisticTerms,
    minDocuments: 2,
    selection: 'chi2',
  });
  const row = (tokens: readonly string[]): number[] => [1, ...vocabulary.tfidf(tokens)];
  const model = new LogisticRegression({
    numSteps: settings.steps ?? TEXT_MODEL_SETTINGS.logisticSteps,
    learningRate: settings.learningRate ?? TEXT_MODEL_SETTINGS.logisticLearningRate,
  });
  model.train(new Matrix(documents.map(row)), Matrix.columnVector(classes));
  return {
    family: 'logistic-regression',
    description: `logistic regression on TF-IDF of ${vocabulary.size} words chosen by χ²`,
    labels: data.labels,
    inputUnits: (input) => wordTokens(input).length,
    predict(input) {
      const features = new Matrix([row(wordTokens(input))]);
      return oneVsRestPrediction(model, features, data.labels);
    },
  };
}

/**
 * The library fits each class against the rest with the class coded 0, so a classifier's score is the probability
 * of "not this class"; one minus it, normalised over the classes, gives the probabilities.
 */
export function oneVsRestPrediction(
  model: LogisticRegression,
  features: Matrix,
  labels: readonly string[],
): { label: string; probabilities: number[] } {
  const scores = labels.map((_, c) => 1 - (model.classifiers[c]?.testScores(features)[0] ?? 1));
  const total = scores.reduce((a, b) => a + b, 0);
  const probabilities = total > 0 ? scores.map((s) => s / total) : scores.map(() => 1 / labels.length);
  return { label: labels[argmax(probabilities)] ?? '', probabilities };
}

/**
 * The candidate k with the best accuracy on the validation examples (the smallest on ties). `neighbours` gives an
 * example's nearest training classes, nearest first, at least as many as the largest candidate.
 */
export function pickNeighbours(
  neighbours: (example: LabeledExample) => number[],
  validation: readonly LabeledExample[],
  labels: readonly string[],
  candidates: readonly number[],
): number {
  const nearest = validation.map(neighbours);
  let bestK = candidates[0] ?? 1;
  let bestCorrect = -1;
  for (const k of candidates) {
    const correct = validation.filter(
      (e, i) => labels[argmax(voteShares((nearest[i] ?? []).slice(0, k), labels.length))] === e.label,
    ).length;
    if (correct > bestCorrect) {
      bestCorrect = correct;
      bestK = k;
    }
  }
  return bestK;
}

/** The classes of the k nearest points, nearest first (the library's heap returns them unordered). */
export function nearestClasses(model: KNN, point: number[], k: number): number[] {
  return model.kdTree
    .nearest(point, k)
    .sort((a, b) => a[1] - b[1])
    .map(([p]) => p[p.length - 1] ?? 0);
}

/** k-nearest neighbours (ml-knn, a k-d tree over Euclidean distance) on unit-length TF-IDF, so nearest means most cosine-similar. */
function nearestNeighbours(
  data: TextTraining,
  documents: string[][],
  classes: number[],
  settings: ModelSettings,
): TrainedClassifier {
  const vocabulary = TextVocabulary.fit(documents, classes, data.labels.length, {
    maxTerms: settings.terms ?? TEXT_MODEL_SETTINGS.knnTerms,
    minDocuments: 2,
    selection: 'chi2',
  });
  const points = documents.map((tokens) => Array.from(vocabulary.tfidf(tokens)));
  const candidates = settings.k === undefined ? TEXT_MODEL_SETTINGS.knnCandidates : [settings.k];
  const largest = Math.min(Math.max(...candidates), points.length);
  const search = new KNN(points, classes, { k: largest });
  const k =
    settings.k === undefined
      ? pickNeighbours(
          (e) => nearestClasses(search, Array.from(vocabulary.tfidf(wordTokens(e.input))), largest),
          spreadSample(data.validation, KNN_VALIDATION_EXAMPLES),
          data.labels,
          candidates.filter((c) => c <= largest),
        )
      : largest;
  return {
    family: 'knn',
    description: `${k}-nearest neighbours on TF-IDF of ${vocabulary.size} words chosen by χ² (k ${settings.k === undefined ? 'by validation' : 'given'})`,
    labels: data.labels,
    inputUnits: (input) => wordTokens(input).length,
    predict(input) {
      const probabilities = voteShares(
        nearestClasses(search, Array.from(vocabulary.tfidf(wordTokens(input))), k),
        data.labels.length,
      );
      return { label: data.labels[argmax(probabilities)] ?? '', probabilities };
    },
  };
}

/** Trains one text model on the training examples (the validation examples only choose settings). */
export function trainTextClassifier(
  family: ModelFamily,
  data: TextTraining,
  settings: ModelSettings = {},
): TrainedClassifier {
  const documents = tokenized(data.train);
  const classes = classIndices(data.train, data.labels);
  switch (family) {
    case 'naive-bayes':
      return naiveBayes(data, documents, classes, settings);
    case 'logistic-regression':
      return logisticRegression(data, documents, classes, settings);
    case 'knn':
      return nearestNeighbours(data, documents, classes, settings);
    case 'random-forest':
      throw new Error('random forests take tabular features; text models are naive-bayes, logistic-regression and knn');
  }
}

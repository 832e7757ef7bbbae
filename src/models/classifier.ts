/** The simple model families yardstick trains: for text, on words; for tabular data, on the feature columns. */
export type ModelFamily = 'naive-bayes' | 'logistic-regression' | 'knn' | 'random-forest';

/**
 * Hyperparameters of a model; each one left out keeps yardstick's default. `terms`: words in a text model's
 * vocabulary; `steps` and `learningRate`: logistic regression's gradient descent; `k`: neighbours (fixed, instead of
 * chosen on the validation split); `trees`: a random forest's trees.
 */
export interface ModelSettings {
  terms?: number;
  steps?: number;
  learningRate?: number;
  k?: number;
  trees?: number;
}

export const TEXT_FAMILIES: readonly ModelFamily[] = ['naive-bayes', 'logistic-regression', 'knn'];
export const TABULAR_FAMILIES: readonly ModelFamily[] = ['random-forest', 'logistic-regression', 'knn'];

/** A predicted label with the probability of each label (in `labels` order). */
export interface Prediction {
  label: string;
  probabilities: number[];
}

/** A trained classifier. `predict` throws `InvalidModelInput` when it cannot read an input. */
export interface TrainedClassifier {
  family: ModelFamily;
  /** What the model is, e.g. "multinomial naive Bayes on counts of 2,000 words". */
  description: string;
  labels: readonly string[];
  /** The units of an input the model reads: words for text, feature values for tabular data. */
  inputUnits(input: string): number;
  predict(input: string): Prediction;
}

export class InvalidModelInput extends Error {}

/** Index of the largest value; ties go to the first. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i += 1) if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i;
  return best;
}

/** Probabilities from log-scores, computed stably (shifted by the maximum). */
export function softmax(logScores: readonly number[]): number[] {
  const top = Math.max(...logScores);
  const exps = logScores.map((s) => Math.exp(s - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** Shares of each label among neighbour votes. */
export function voteShares(votes: readonly number[], labelCount: number): number[] {
  const shares = new Array<number>(labelCount).fill(0);
  for (const v of votes) shares[v] = (shares[v] ?? 0) + 1 / votes.length;
  return shares;
}

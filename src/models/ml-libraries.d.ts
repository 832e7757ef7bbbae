// Types for the parts of the mljs packages the reference models use; the packages ship JavaScript only.
declare module 'ml-naivebayes' {
  import type { Matrix } from 'ml-matrix';
  export class MultinomialNB {
    priorProbability: Matrix;
    conditionalProbability: Matrix;
    train(trainingSet: Matrix | number[][], labels: number[]): void;
    predict(dataset: Matrix | number[][]): number[];
  }
}

declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';
  interface TwoClassModel {
    testScores(features: Matrix): number[];
  }
  export default class LogisticRegression {
    constructor(options: { numSteps: number; learningRate: number });
    classifiers: TwoClassModel[];
    numberClasses: number;
    train(features: Matrix, labels: Matrix): void;
    predict(features: Matrix): number[];
  }
}

declare module 'ml-knn' {
  export default class KNN {
    constructor(dataset: number[][], labels: number[], options: { k: number });
    k: number;
    kdTree: { nearest(point: number[], count: number): [number[], number][] };
    predict(point: number[]): number;
  }
}

import { describe, it } from 'vitest';
import { expectClose, readReference } from '../../test/helpers/reference.js';
import {
  explainedVarianceScore,
  maxError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  medianAbsoluteError,
  pearsonR,
  r2Score,
  rootMeanSquaredError,
  spearmanR,
} from './regression.js';

interface RegressionCase {
  name: string;
  yTrue: number[];
  yPred: number[];
  mse: number;
  rmse: number;
  mae: number;
  medae: number;
  maxError: number;
  mape: number;
  r2: number;
  explainedVariance: number;
  pearson?: number;
  spearman?: number;
}

const reference = readReference<{ cases: RegressionCase[] }>('regression.json');

describe('regression metrics equal scikit-learn and scipy', () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expectClose(meanSquaredError(c.yTrue, c.yPred), c.mse, 'mse');
    expectClose(rootMeanSquaredError(c.yTrue, c.yPred), c.rmse, 'rmse');
    expectClose(meanAbsoluteError(c.yTrue, c.yPred), c.mae, 'mae');
    expectClose(medianAbsoluteError(c.yTrue, c.yPred), c.medae, 'median absolute error');
    expectClose(maxError(c.yTrue, c.yPred), c.maxError, 'max error');
    expectClose(meanAbsolutePercentageError(c.yTrue, c.yPred), c.mape, 'mape');
    expectClose(r2Score(c.yTrue, c.yPred), c.r2, 'r2');
    expectClose(explainedVarianceScore(c.yTrue, c.yPred), c.explainedVariance, 'explained variance');
    if (c.pearson !== undefined) expectClose(pearsonR(c.yTrue, c.yPred), c.pearson, 'pearson');
    if (c.spearman !== undefined) expectClose(spearmanR(c.yTrue, c.yPred), c.spearman, 'spearman');
  });
});

describe('a constant column has zero variance exactly, at every length', () => {
  // numpy sums seven 0.1s to 0.7000000000000001: scikit-learn then gives R² ≈ −1.4e33 where ten give exactly 0.
  it.each([2, 3, 7, 13, 100, 1001])('%i values of 0.1', (n) => {
    const constant = Array.from({ length: n }, () => 0.1);
    const varied = Array.from({ length: n }, (_, i) => i / n);
    expectClose(r2Score(constant, varied), 0, 'r2');
    expectClose(explainedVarianceScore(constant, varied), 0, 'explained variance');
    expectClose(r2Score(constant, constant), 1, 'r2 of a perfect fit');
    expectClose(pearsonR(varied, constant), Number.NaN, 'pearson');
    expectClose(pearsonR(constant, varied), Number.NaN, 'pearson');
  });
});

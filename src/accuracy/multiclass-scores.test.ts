import { describe, expect, it } from 'vitest';
import { expectAllClose, expectClose, readReference } from '../../test/helpers/reference.js';
import { expectedCalibrationError, reliabilityBins } from './calibration.js';
import {
  hammingLoss,
  logLossMulticlass,
  rocAucMulticlass,
  subsetAccuracy,
  topKAccuracy,
  type ScoreMatrix,
} from './multiclass-scores.js';

interface Reference {
  scores: ({
    truth: number[];
    scores: number[][];
    scoresTied: number[][];
    classes: number;
    topK: number[];
    topKTied: number[];
  } & Record<string, unknown>)[];
  multilabel: { truth: number[][]; prediction: number[][]; hamming: number; subset: number }[];
  calibration: {
    positives: number[];
    probabilities: number[];
    bins: number;
    fractionPositive: number[];
    meanPredicted: number[];
    counts: number[];
    ece: number;
  }[];
}

const reference = readReference<Reference>('multiclass.json');

function matrix(rows: number[][], classes: number): ScoreMatrix {
  return { values: Float64Array.from(rows.flat()), rows: rows.length, classes };
}

describe('multiclass score metrics equal scikit-learn', () => {
  it.each(reference.scores.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const truth = Int32Array.from(c.truth);
    const scores = matrix(c.scores, c.classes);
    for (const strategy of ['ovr', 'ovo'] as const) {
      for (const average of ['macro', 'weighted'] as const) {
        expectClose(
          rocAucMulticlass(truth, scores, strategy, average),
          c[`rocAuc_${strategy}_${average}`] as number,
          `roc auc ${strategy} ${average}`,
        );
      }
    }
    expectClose(logLossMulticlass(truth, scores), c.logLoss as number, 'log loss');
    c.topK.forEach((expected, i) => expectClose(topKAccuracy(truth, scores, i + 1), expected, `top-${i + 1}`));
    c.topKTied.forEach((expected, i) =>
      expectClose(topKAccuracy(truth, matrix(c.scoresTied, c.classes), i + 1), expected, `top-${i + 1} with ties`),
    );
  });

  it('refuses score rows that are not probabilities and classes missing from the truth', () => {
    const truth = Int32Array.from([0, 1, 2]);
    expect(() =>
      rocAucMulticlass(
        truth,
        matrix(
          [
            [2, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ],
          3,
        ),
        'ovr',
        'macro',
      ),
    ).toThrow(/row 1 sum to 2/);
    expect(() =>
      rocAucMulticlass(
        Int32Array.from([0, 1, 1]),
        matrix(
          [
            [1, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ],
          3,
        ),
        'ovr',
        'macro',
      ),
    ).toThrow(/every class present/);
  });
});

describe('multilabel metrics equal scikit-learn', () => {
  it.each(reference.multilabel.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    expectClose(hammingLoss(c.truth, c.prediction), c.hamming, 'hamming loss');
    expectClose(subsetAccuracy(c.truth, c.prediction), c.subset, 'subset accuracy');
  });
});

describe("calibration bins equal scikit-learn's calibration_curve", () => {
  it.each(reference.calibration.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const positives = c.positives.map((p) => p === 1);
    const bins = reliabilityBins(positives, c.probabilities, c.bins);
    expectAllClose(
      bins.map((b) => b.fractionPositive),
      c.fractionPositive,
      'fraction positive',
    );
    expectAllClose(
      bins.map((b) => b.meanPredicted),
      c.meanPredicted,
      'mean predicted',
    );
    expectAllClose(
      bins.map((b) => b.count),
      c.counts,
      'counts',
    );
    expectClose(expectedCalibrationError(positives, c.probabilities, c.bins), c.ece, 'ece');
  });
});

describe('calibration bins at an edge', () => {
  it('puts a score a hair above an inner edge in the bin above, as calibration_curve does', () => {
    // scikit-learn 1.2.1: calibration_curve([1, 0], [0.5, 0.500000001], n_bins=10) has two bins, (1, 0).
    const bins = reliabilityBins([true, false], [0.5, 0.500000001], 10);
    expect(bins.map((b) => [b.low, b.count, b.fractionPositive])).toEqual([
      [0.4, 1, 1],
      [0.5, 1, 0],
    ]);
  });
});

import { describe, it } from 'vitest';
import { expectAllClose, expectClose, readReference } from '../../test/helpers/reference.js';
import {
  accuracy,
  balancedAccuracy,
  cohenKappa,
  confusionOf,
  matthewsCorrcoef,
  precisionRecallF,
  type Average,
} from './classification.js';
import { countsAsRows, normalizeConfusion } from './confusion-matrix.js';
import type { Label } from './labels.js';

interface PrfReference {
  precision: number | number[];
  recall: number | number[];
  fScore: number | number[];
  support?: number[] | null;
  posLabel?: Label;
}

interface ClassificationCase {
  name: string;
  yTrue: Label[];
  yPred: Label[];
  labels: Label[];
  accuracy: number;
  balancedAccuracy: number;
  balancedAccuracyAdjusted: number;
  mcc: number;
  kappa_none: number;
  kappa_linear: number;
  kappa_quadratic: number;
  confusion: number[][];
  confusion_true: number[][];
  confusion_pred: number[][];
  confusion_all: number[][];
  prf: Record<string, PrfReference>;
}

const reference = readReference<{ cases: ClassificationCase[] }>('classification.json');

describe('classification metrics equal scikit-learn', () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const cm = confusionOf(c.yTrue, c.yPred);
    expectAllClose(countsAsRows(cm), c.confusion, 'confusion');
    expectAllClose(normalizeConfusion(cm, 'true'), c.confusion_true, 'confusion normalized by true');
    expectAllClose(normalizeConfusion(cm, 'pred'), c.confusion_pred, 'confusion normalized by pred');
    expectAllClose(normalizeConfusion(cm, 'all'), c.confusion_all, 'confusion normalized by all');
    expectClose(accuracy(cm), c.accuracy, 'accuracy');
    expectClose(balancedAccuracy(cm), c.balancedAccuracy, 'balanced accuracy');
    expectClose(balancedAccuracy(cm, true), c.balancedAccuracyAdjusted, 'adjusted balanced accuracy');
    expectClose(matthewsCorrcoef(cm), c.mcc, 'mcc');
    expectClose(cohenKappa(cm), c.kappa_none, 'kappa');
    expectClose(cohenKappa(cm, 'linear'), c.kappa_linear, 'linear kappa');
    expectClose(cohenKappa(cm, 'quadratic'), c.kappa_quadratic, 'quadratic kappa');
    for (const [key, expected] of Object.entries(c.prf)) {
      const [averageText = '', betaText = '1', zeroText = '0'] = key.split('_');
      const beta = Number(betaText);
      const zeroDivision = Number(zeroText) as 0 | 1;
      if (averageText === 'None') {
        const got = precisionRecallF(cm, { average: null, beta, zeroDivision });
        expectAllClose(got.precision, expected.precision, `${key} precision`);
        expectAllClose(got.recall, expected.recall, `${key} recall`);
        expectAllClose(got.fScore, expected.fScore, `${key} f`);
        expectAllClose(got.support, expected.support, `${key} support`);
      } else {
        const got = precisionRecallF(cm, {
          average: averageText as Average,
          beta,
          zeroDivision,
          posLabel: expected.posLabel,
        });
        expectClose(got.precision, expected.precision as number, `${key} precision`);
        expectClose(got.recall, expected.recall as number, `${key} recall`);
        expectClose(got.fScore, expected.fScore as number, `${key} f`);
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { expectClose, readReference } from '../../test/helpers/reference.js';
import { averagePrecision, brierScore, logLossBinary, rocAucBinary } from './scores.js';

interface ScoresCase {
  name: string;
  positives: number[];
  scores: number[];
  rocAuc?: number;
  averagePrecision?: number;
  logLoss?: number;
  brier?: number;
}

const reference = readReference<{ cases: ScoresCase[] }>('scores.json');

describe('score metrics equal scikit-learn', () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const positives = c.positives.map((p) => p === 1);
    if (c.rocAuc !== undefined) expectClose(rocAucBinary(positives, c.scores), c.rocAuc, 'roc auc');
    else expect(() => rocAucBinary(positives, c.scores)).toThrow(/only one class/);
    if (c.averagePrecision !== undefined)
      expectClose(averagePrecision(positives, c.scores), c.averagePrecision, 'average precision');
    if (c.logLoss !== undefined) expectClose(logLossBinary(positives, c.scores), c.logLoss, 'log loss');
    if (c.brier !== undefined) expectClose(brierScore(positives, c.scores), c.brier, 'brier');
  });

  it('refuses probabilities outside [0, 1], naming the row', () => {
    expect(() => logLossBinary([true, false], [0.5, 1.5])).toThrow(/probability 1.5 at row 2/);
    expect(() => brierScore([true], [-0.1])).toThrow(/row 1/);
  });
});

import { describe, expect, it } from 'vitest';
import type { ChoicePrediction } from './case-result.js';
import { caseDetails } from './case-details.js';
import type { Score, Scorer } from './scorers/scorer.js';

function scorer(name: string): Scorer {
  return { name, type: 'test', weight: 1, score: () => ({ value: 1, pass: true, explanation: '' }) };
}
const usage = (tokensIn: number, cost: number | null) => ({
  e2eMs: 5,
  tokensIn,
  tokensOut: 2,
  cost,
  output: 'Score: 4',
});
const prediction = (predicted: number): ChoicePrediction => ({
  task: 't',
  predicted,
  predictedNorm: null,
  gold: [0],
  choiceCount: 2,
  value: null,
  goldValue: null,
  group: null,
  f1: null,
  em: null,
});

describe('caseDetails', () => {
  it('keeps the label scorer’s label, sums the usage of every model asked, and the first prediction', () => {
    const labels = scorer('labels');
    const other = scorer('other');
    const scored: { scorer: Scorer; score: Score }[] = [
      { scorer: other, score: { value: 1, pass: true, explanation: '', details: { label: 'ignored' } } },
      { scorer: labels, score: { value: 1, pass: true, explanation: '', details: { label: 'yes' } } },
      {
        scorer: scorer('judge a'),
        score: { value: 1, pass: true, explanation: '', details: { modelUsage: usage(10, 0.5) } },
      },
      {
        scorer: scorer('judge b'),
        score: { value: 1, pass: true, explanation: '', details: { modelUsage: usage(7, null) } },
      },
      {
        scorer: scorer('bench'),
        score: { value: 1, pass: true, explanation: '', details: { prediction: prediction(1) } },
      },
      {
        scorer: scorer('bench 2'),
        score: { value: 1, pass: true, explanation: '', details: { prediction: prediction(0) } },
      },
    ];
    expect(caseDetails(scored, labels)).toEqual({
      label: 'yes',
      judge: { cost: 0.5, tokensIn: 17, tokensOut: 4 },
      prediction: prediction(1),
    });
  });

  it('gives no label, no judge and no prediction when no scorer said any', () => {
    const plain = scorer('plain');
    expect(caseDetails([{ scorer: plain, score: { value: 0, pass: false, explanation: 'no' } }], null)).toEqual({
      label: null,
      judge: null,
    });
  });
});

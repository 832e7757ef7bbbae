import { describe, expect, it } from 'vitest';
import { expectClose, readReference } from '../../test/helpers/reference.js';
import { corpusBleu, exactMatch, normalizeAnswer, rougeL, rougeN, tokenF1, type BleuSmoothing } from './text.js';

interface BleuCase {
  references: string[][][];
  hypotheses: string[][];
  [key: string]: unknown;
}

const bleu = readReference<{ cases: BleuCase[] }>('bleu.json');

describe("corpus BLEU equals NLTK's corpus_bleu", () => {
  it.each(bleu.cases.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    for (const order of [4, 2]) {
      for (const smoothing of ['none', 'epsilon', 'add-one', 'exponential'] as BleuSmoothing[]) {
        expectClose(
          corpusBleu(c.references, c.hypotheses, { maxOrder: order, smoothing }),
          c[`bleu${order}_${smoothing}`] as number,
          `BLEU-${order} ${smoothing}`,
        );
      }
    }
  });

  it('gives 1 for a hypothesis equal to its reference and 0 without any unigram match', () => {
    const sentence = 'the cat sat on the mat'.split(' ');
    expect(corpusBleu([[sentence]], [sentence])).toBe(1);
    expect(corpusBleu([[sentence]], [['dog', 'ran']])).toBe(0);
  });
});

describe('SQuAD exact match and token F1', () => {
  it('normalizes case, punctuation, articles and whitespace', () => {
    expect(normalizeAnswer('  The  Eiffel Tower!  ')).toBe('eiffel tower');
    expect(normalizeAnswer('an apple, a pear')).toBe('apple pear');
  });

  it('scores against the best of several gold answers', () => {
    expect(exactMatch('the Denver Broncos', ['Denver Broncos', 'Broncos'])).toBe(1);
    expect(exactMatch('Denver', ['Denver Broncos'])).toBe(0);
    // 'denver' against 'denver broncos': precision 1, recall 1/2, F1 2/3.
    expect(tokenF1('Denver', ['Denver Broncos'])).toBeCloseTo(2 / 3, 15);
    expect(tokenF1('Denver', ['Denver Broncos', 'Denver'])).toBe(1);
    expect(tokenF1('the the', ['the'])).toBe(1); // both normalize to nothing
    expect(tokenF1('', ['Broncos'])).toBe(0);
  });
});

describe('ROUGE on the worked examples of Lin (2004)', () => {
  const reference = 'police killed the gunman';
  it('ROUGE-L prefers in-sequence matches', () => {
    // S2 "police kill the gunman": LCS "police the gunman" = 3 of 4 words.
    expect(rougeL('police kill the gunman', reference).f).toBeCloseTo(3 / 4, 15);
    // S3 "the gunman kill police": LCS "the gunman" = 2 of 4 words.
    expect(rougeL('the gunman kill police', reference).f).toBeCloseTo(2 / 4, 15);
  });

  it('ROUGE-N counts clipped n-gram overlaps', () => {
    const r1 = rougeN('police kill the gunman', reference, 1);
    expect(r1).toEqual({ precision: 3 / 4, recall: 3 / 4, f: 3 / 4 });
    const r2 = rougeN('police kill the gunman', reference, 2); // only "the gunman" is shared
    expect(r2.precision).toBeCloseTo(1 / 3, 15);
    expect(r2.recall).toBeCloseTo(1 / 3, 15);
    const clipped = rougeN('the the the', 'the cat', 1); // "the" counts once
    expect(clipped.precision).toBeCloseTo(1 / 3, 15);
    expect(clipped.recall).toBeCloseTo(1 / 2, 15);
    expect(rougeN('', reference, 1).f).toBe(0);
  });
});

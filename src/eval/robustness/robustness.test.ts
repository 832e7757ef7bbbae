import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random.js';
import type { CaseResult } from '../case-result.js';
import type { EvalCase } from '../cases.js';
import { withPerturbedCopies, type PreparedRobustness } from './expand-cases.js';
import {
  changeCase,
  changeNumbers,
  distractor,
  negate,
  punctuation,
  swapNames,
  swapWords,
  synonyms,
  typos,
  whitespace,
} from './perturbations.js';
import { robustnessMetrics, robustnessSummary } from './robustness-summary.js';
import { loadSynonyms } from './wordnet-synonyms.js';

const random = (): (() => number) => seededRandom(42);

describe('perturbations', () => {
  it('make typos at the rate asked, seeded, leaving everything but letters alone', () => {
    const text = 'The quick brown fox jumps over the lazy dog, 12 times.';
    const once = typos(0.3)(text, random());
    expect(once).not.toBe(text);
    expect(typos(0.3)(text, random())).toBe(once);
    expect(once).toContain('12');
    expect(typos(0.0001)(text, random())).toBe(text);
  });

  it('change case, spacing, punctuation and word order', () => {
    expect(changeCase('upper')('Good film', random())).toBe('GOOD FILM');
    expect(changeCase('title')('a good film', random())).toBe('A Good Film');
    const spaced = whitespace()('a good film', random());
    expect(spaced.replace(/\s+/g, ' ').trim()).toBe('a good film');
    expect(spaced).not.toBe('a good film');
    expect(punctuation('strip')("Well, it's good!", random())).toBe('Well its good');
    expect(swapWords(1)('one two three four. five six', random())).toBe('two one four. three six five');
  });

  it('add a distractor, swap names consistently, change numbers, negate', () => {
    expect(distractor(['Unrelated.'], 'end')('Good film.', random())).toBe('Good film. Unrelated.');
    const swapped = swapNames()('John met Mary, and John left.', random());
    const [first, , third] = /^(\S+) met (\S+), and (\S+) left\.$/.exec(swapped)?.slice(1) ?? [];
    expect(first).not.toBe('John');
    expect(third).toBe(first);
    expect(swapNames()('no names here', random())).toBe('no names here');
    const numbers = changeNumbers()('3 apples and 40 pears', random());
    expect(numbers).toMatch(/^\d+ apples and \d+ pears$/);
    expect(numbers).not.toBe('3 apples and 40 pears');
    expect(negate()('The film is good', random())).toBe('The film is not good');
    expect(negate()('I loved it', random())).toBe('It is not true that I loved it');
    expect(negate()('Loved it', random())).toBe('It is not true that loved it');
  });
});

function evalCase(id: string, index: number, text: string, expected: string): EvalCase {
  return { id, index, where: `data.csv:${id}`, vars: { text, id }, expected: [expected], tags: [], weight: 1 };
}

describe('synonyms', () => {
  it('replace known words at the rate asked, keeping a capital', () => {
    const lexicon = new Map([
      ['boring', ['tedious']],
      ['film', ['movie']],
    ]);
    expect(synonyms(lexicon, 1)('Boring film, boring plot.', random())).toBe('Tedious movie, tedious plot.');
    expect(synonyms(lexicon, 0.0001)('Boring film.', random())).toBe('Boring film.');
  });

  it("come from WordNet 3.1's most frequent sense (and, for adjectives, the senses it is similar to)", async () => {
    const lexicon = await loadSynonyms(['adj']);
    expect(lexicon.size).toBeGreaterThan(10_000);
    expect(lexicon.get('boring')).toContain('tedious');
    expect(lexicon.get('terrible')).toContain('awful');
    expect(lexicon.has('the')).toBe(false);
  });
});

describe('perturbed copies', () => {
  const robustness: PreparedRobustness = {
    seed: 1,
    fields: ['text'],
    perturbations: [
      { name: 'upper', kind: 'case', perturb: changeCase('upper'), expect: null },
      { name: 'negation', kind: 'negation', perturb: negate(), expect: { positive: 'negative' } },
    ],
    injection: null,
  };

  it('follow the originals, tagged and renamed, the expected answer kept or mapped', () => {
    const cases = [evalCase('a', 0, 'it is good', 'positive'), evalCase('b', 1, 'IT IS BAD', 'negative')];
    const all = withPerturbedCopies(cases, robustness);
    expect(all.map((c) => c.id)).toEqual(['a', 'b', 'a~upper', 'a~negation']);
    // Each copy's index (which also names its request) is its own.
    expect(new Set(all.map((c) => c.index)).size).toBe(4);
    const [, , upper, negated] = all;
    expect(upper).toMatchObject({
      vars: { text: 'IT IS GOOD', id: 'a' },
      expected: ['positive'],
      tags: ['perturbation:upper'],
    });
    // 'b' is in capitals already (no copy), and the map does not say what 'negative' becomes (no copy).
    expect(negated).toMatchObject({ vars: { text: 'it is not good' }, expected: ['negative'] });
    expect(withPerturbedCopies(cases, robustness)).toEqual(all);
  });
});

function result(caseId: string, pass: boolean | null, tags: string[] = [], status: 'ok' | 'error' = 'ok'): CaseResult {
  return {
    caseId,
    index: 0,
    repeat: 0,
    status,
    error: status === 'ok' ? null : { category: 'connection', message: 'refused' },
    attempts: 1,
    cached: false,
    prompt: '',
    output: '',
    expected: [],
    tags,
    weight: 1,
    e2eMs: 1,
    ttftMs: null,
    tpotMs: null,
    tokensIn: null,
    tokensOut: null,
    cost: null,
    label: null,
    expectedLabel: null,
    scores: {},
    score: null,
    pass,
    judge: null,
  };
}

describe('robustness summary', () => {
  it('counts clean, per-perturbation and worst-case accuracy on paired cases, with McNemar on the flips', () => {
    const t = (name: string): string[] => [`perturbation:${name}`];
    const results = [
      ...['a', 'b', 'c', 'd'].map((id, i) => result(id, i < 3)),
      result('a~typos', false, t('typos')),
      result('b~typos', false, t('typos')),
      result('c~typos', true, t('typos')),
      result('d~typos', true, t('typos')),
      result('a~upper', true, t('upper')),
      result('b~upper', false, t('upper'), 'error'),
      result('c~upper', false, t('upper')),
    ];
    const summary = robustnessSummary(results, {
      seed: 1,
      fields: ['text'],
      perturbations: [
        { name: 'typos', kind: 'typos', perturb: (x) => x, expect: null },
        { name: 'upper', kind: 'case', perturb: (x) => x, expect: null },
      ],
      injection: null,
    });
    expect(summary.clean).toMatchObject({ value: 0.75, n: 4 });
    const [typosResult, upperResult] = summary.perturbations;
    expect(typosResult).toMatchObject({
      cases: 4,
      cleanAccuracy: 0.75,
      flipped: ['a', 'b'],
      test: { onlyClean: 2, onlyPerturbed: 1 },
    });
    expect(typosResult?.accuracy.value).toBe(0.5);
    // The errored copy of b is left out: a and c are paired.
    expect(upperResult).toMatchObject({ cases: 2, cleanAccuracy: 1, flipped: ['c'] });
    // d is wrong clean, and a, b and c each fail a copy: no case survives every perturbation.
    expect(summary.robust.value).toBe(0);
    expect(summary.test).toMatchObject({ onlyClean: 3, onlyPerturbed: 0 });
    // McNemar exact, 3 against 0: 2 × 0.5³ = 0.25.
    expect(summary.test.pValue).toBeCloseTo(0.25, 12);
    expect(Object.keys(robustnessMetrics(summary))).toEqual([
      'clean_accuracy',
      'robust_accuracy',
      'accuracy.typos',
      'accuracy.upper',
    ]);
  });
});

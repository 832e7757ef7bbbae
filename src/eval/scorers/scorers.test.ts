import { describe, expect, it } from 'vitest';
import type { EvalCase } from '../cases.js';
import { ChoiceExtractor, ChoiceScorer } from './choice.js';
import { parseJudgeScore } from './judge.js';
import { ReferenceAnswers } from './reference.js';
import type { ScoreInput } from './scorer.js';
import { firstNumber, parseJsonOutput } from './structured-scorers.js';
import { ContainsScorer, EqualsScorer, LengthScorer, SimilarityScorer } from './text-scorers.js';

function input(output: string, expected: string[] = [], vars: Record<string, unknown> = {}): ScoreInput {
  const evalCase: EvalCase = { id: '1', index: 0, where: 'x:1', vars, expected, tags: [], weight: 1 };
  return {
    evalCase,
    response: { output, e2eMs: 1, ttftMs: null, tokensIn: null, tokensOut: null, cost: null },
    prompt: '',
    signal: new AbortController().signal,
  };
}

describe('choice extraction', () => {
  const first = new ChoiceExtractor(['positive', 'negative', 'neutral'], 'first');
  it('takes the choice named first, as a whole word, ignoring case', () => {
    expect(first.extract('Negative. Not positive at all.')).toBe('negative');
    expect(first.extract('The sentiment is POSITIVE')).toBe('positive');
    expect(first.extract('nonpositive')).toBeNull();
    expect(first.extract('I cannot tell')).toBeNull();
  });
  it('reads one-letter choices case-sensitively so the article "a" is not choice A', () => {
    const letters = new ChoiceExtractor(['A', 'B', 'C', 'D'], 'first');
    expect(letters.extract('It is a hard one; the answer is C.')).toBe('C');
    expect(letters.extract('(B) because…')).toBe('B');
  });
  it('prefers the longer choice at the same position', () => {
    expect(new ChoiceExtractor(['not', 'not sure'], 'first').extract('not sure, sorry')).toBe('not sure');
  });
  it('strict mode accepts only an answer that is a choice', () => {
    const strict = new ChoiceExtractor(['A', 'B'], 'strict');
    expect(strict.extract(' (B). ')).toBe('B');
    expect(strict.extract('B because')).toBeNull();
  });
  it('scores against the expected label, and an answer naming no choice as wrong', () => {
    const scorer = new ChoiceScorer('choice', 1, first);
    expect(scorer.score(input('Positive!', ['positive']))).toMatchObject({
      pass: true,
      details: { label: 'positive' },
    });
    expect(scorer.score(input('neutral', ['Positive']))).toMatchObject({ pass: false, details: { label: 'neutral' } });
    expect(scorer.score(input('no idea', ['positive']))).toMatchObject({
      pass: false,
      value: 0,
      details: { label: null },
    });
  });
});

describe('text scorers', () => {
  it('equals trims and optionally ignores case; a value template overrides the expected answer', () => {
    expect(
      new EqualsScorer('e', 1, new ReferenceAnswers(undefined), { ignoreCase: false, trim: true }).score(
        input(' Paris\n', ['Paris']),
      ).pass,
    ).toBe(true);
    expect(
      new EqualsScorer('e', 1, new ReferenceAnswers(undefined), { ignoreCase: false, trim: true }).score(
        input('paris', ['Paris']),
      ).pass,
    ).toBe(false);
    expect(
      new EqualsScorer('e', 1, new ReferenceAnswers('{{city}}'), { ignoreCase: true, trim: true }).score(
        input('PARIS', [], { city: 'paris' }),
      ).pass,
    ).toBe(true);
    expect(
      new EqualsScorer('e', 1, new ReferenceAnswers(undefined), { ignoreCase: false, trim: true }).score(input('x')),
    ).toMatchObject({ value: null, pass: null });
  });
  it('contains and icontains', () => {
    expect(
      new ContainsScorer('contains', 'c', 1, new ReferenceAnswers(undefined)).score(
        input('The capital is Paris.', ['Paris']),
      ).pass,
    ).toBe(true);
    expect(
      new ContainsScorer('contains', 'c', 1, new ReferenceAnswers(undefined)).score(
        input('the capital is paris.', ['Paris']),
      ).pass,
    ).toBe(false);
    expect(
      new ContainsScorer('icontains', 'c', 1, new ReferenceAnswers(undefined)).score(
        input('the capital is paris.', ['Paris']),
      ).pass,
    ).toBe(true);
  });
  it('similarity is graded and passes at its bound', () => {
    const s = new SimilarityScorer('s', 1, new ReferenceAnswers(undefined), 'token-f1', 0.5);
    const score = s.score(input('the cat sat', ['a cat sat down']));
    expect(score.value).toBeCloseTo(0.8, 12); // SQuAD normalization drops articles: {cat, sat} vs {cat, sat, down}
    expect(score.pass).toBe(true);
  });
  it('length counts characters or words', () => {
    expect(new LengthScorer('l', 1, { max: 3, unit: 'words' }).score(input('one two three')).pass).toBe(true);
    expect(new LengthScorer('l', 1, { min: 20, unit: 'chars' }).score(input('short')).pass).toBe(false);
  });
});

describe('parsing answers', () => {
  it('finds the first number, with thousands separators and signs', () => {
    expect(firstNumber('about 1,234.5 km')).toBe(1234.5);
    expect(firstNumber('-3e2 degrees')).toBe(-300);
    expect(firstNumber('none')).toBeNull();
  });
  it('parses JSON with or without a code fence', () => {
    expect(parseJsonOutput('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonOutput('```json\n[1, 2]\n```')).toEqual({ ok: true, value: [1, 2] });
    expect(parseJsonOutput('{"a":').ok).toBe(false);
  });
  it("reads a judge's score from a Score line, a JSON field or a bare number", () => {
    expect(parseJudgeScore('Score: 4\nGood.')).toBe(4);
    expect(parseJudgeScore('**Score:** 3.5')).toBe(3.5);
    expect(parseJudgeScore('{"score": 2, "reason": "x"}')).toBe(2);
    expect(parseJudgeScore(' 5 ')).toBe(5);
    expect(parseJudgeScore('4/5')).toBe(4);
    expect(parseJudgeScore('I would say it is fine')).toBeNull();
  });
});

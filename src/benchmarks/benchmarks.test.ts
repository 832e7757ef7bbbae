import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matthewsCorrcoef, precisionRecallF, confusionOf } from '../accuracy/classification.js';
import type { ChoicePrediction } from '../eval/case-result.js';
import { readLoglikelihoods } from '../targets/openai-loglikelihood.js';
import {
  argmax,
  DEFAULT_EXTRACT,
  expectedScaleValue,
  extractChoice,
  firstLine,
  parseScaleValue,
  parseStrictChoice,
} from './answers.js';
import { readGlueTsv, readMmluCsv } from './readers.js';
import { seededSample } from './seeded-sample.js';
import { generalDetokenize, SUPERGLUE_DEFINITIONS } from './superglue/prompts.js';
import { chanceOf, taskMetric } from './task-metrics.js';
import { MMLU_SUBJECT_NAMES, MMLU_SUBJECTS } from './mmlu/subjects.js';

const OPTIONS = { confidence: 0.95, resamples: 200, seed: 1 };

function tmp(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ys-bm-')), name);
  writeFileSync(path, content);
  return path;
}

describe('strict choice parsing', () => {
  const letters = ['A', 'B', 'C', 'D'];
  it.each([
    ['B', 1],
    [' b ', 1],
    ['**B**', 1],
    ['(B)', 1],
    ['Answer: B.', 1],
    ['The answer is C', 2],
    ['"D"', 3],
  ])('%j names a label', (answer, index) => expect(parseStrictChoice(answer, letters)).toBe(index));
  it.each(['B. Paris', 'I think B', 'B or C', '', 'E'])('%j names none', (answer) =>
    expect(parseStrictChoice(answer, letters)).toBeNull(),
  );
  it('prefers an exact-case match and reads words', () => {
    expect(parseStrictChoice('True', ['true', 'True'])).toBe(1);
    expect(parseStrictChoice('yes.', ['no', 'yes'])).toBe(1);
    expect(parseStrictChoice('Neither', ['True', 'False', 'Neither'])).toBe(2);
  });
  it('a completions answer counts up to its first line', () => expect(firstLine(' yes\n\nQuestion: more')).toBe('yes'));
});

describe('generate extraction', () => {
  it('takes the word after "answer is", else the whole answer strictly', () => {
    expect(
      extractChoice('Let me think. B looks wrong. The answer is (C).', ['A', 'B', 'C', 'D'], DEFAULT_EXTRACT),
    ).toBe(2);
    expect(extractChoice('Final answer: yes', ['no', 'yes'], DEFAULT_EXTRACT)).toBe(1);
    expect(extractChoice('no', ['no', 'yes'], DEFAULT_EXTRACT)).toBe(0);
    expect(extractChoice('It could be A or B', ['A', 'B'], DEFAULT_EXTRACT)).toBeNull();
    expect(extractChoice('#### 2', ['1', '2'], /####\s*(\d)/)).toBe(1);
  });
  it('reads a similarity strictly or as the first number, within 0–5', () => {
    expect(parseScaleValue('3.8', true)).toBe(3.8);
    expect(parseScaleValue('about 3.8', true)).toBeNull();
    expect(parseScaleValue('about 3.8 out of 5', false)).toBe(3.8);
    expect(parseScaleValue('7', true)).toBeNull();
  });
  it('argmax takes the first of ties; the expected scale point weights by softmax', () => {
    expect(argmax([-1, -0.5, -0.5])).toBe(1);
    expect(argmax([])).toBeNull();
    expect(expectedScaleValue([Math.log(0.25), Math.log(0.75)], [0, 4])).toBeCloseTo(3, 12);
  });
});

describe('echoed log-probabilities from /completions', () => {
  const body = (choices: unknown[]): string =>
    JSON.stringify({ choices, usage: { prompt_tokens: 10, completion_tokens: 2 } });
  it('sums the continuation tokens by text offset and ignores the generated token', () => {
    const context = 'Q: 1+1?\nAnswer:';
    const choice = (index: number, tokenLogprob: number, top: string) => ({
      index,
      logprobs: {
        tokens: ['Q', ':', ' 1+1?', '\nAnswer', ':', index === 0 ? ' 2' : ' 3', ' x'],
        token_logprobs: [null, -1, -2, -1, -0.5, tokenLogprob, -9],
        text_offset: [0, 1, 2, 7, 14, 15, 17],
        top_logprobs: [null, {}, {}, {}, {}, { [top]: -0.1 }, {}],
      },
    });
    const answer = readLoglikelihoods(body([choice(1, -3, ' 2'), choice(0, -0.25, ' 2')]), context, [' 2', ' 3']);
    expect(answer).toEqual({
      scores: [
        { logprob: -0.25, isGreedy: true, tokens: 1 },
        { logprob: -3, isGreedy: false, tokens: 1 },
      ],
      promptTokens: 10,
      completionTokens: 2,
    });
  });
  it('counts a token that straddles the context boundary once, and offsets in code points', () => {
    // "é" is one code point; the tokenizer merged ":" with " yes".
    const context = 'é?\nAnswer:';
    const choice = {
      index: 0,
      logprobs: {
        tokens: ['é', '?', '\nAnswer', ': yes'],
        token_logprobs: [null, -1, -1, -2],
        text_offset: [0, 1, 2, 9],
      },
    };
    const answer = readLoglikelihoods(body([choice]), context, [' yes']);
    expect('scores' in answer && answer.scores[0]).toEqual({ logprob: -2, isGreedy: null, tokens: 1 });
  });
  it('reports servers that do not echo, or answer fewer prompts', () => {
    const noLogprobs = readLoglikelihoods(
      body([
        { index: 0, text: 'x' },
        { index: 1, text: 'y' },
      ]),
      'c',
      [' a', ' b'],
    );
    expect('category' in noLogprobs && noLogprobs.message).toContain('echo');
    const short = readLoglikelihoods(body([{ index: 0, text: 'x' }]), 'c', [' a', ' b']);
    expect('category' in short && short.message).toContain('expected 2 choices');
  });
});

describe('readers', () => {
  it('MMLU: quoted fields with commas and newlines, a stray quote kept as text', () => {
    const path = tmp('x_test.csv', '"Line one,\nline two",a,"b, c",c,d,C\nDefine the Will to Truth?",a,b,c,d,A\n');
    expect(readMmluCsv(path)).toEqual([
      { line: 2, question: 'Line one,\nline two', choices: ['a', 'b, c', 'c', 'd'], answer: 2 },
      { line: 3, question: 'Define the Will to Truth?"', choices: ['a', 'b', 'c', 'd'], answer: 0 },
    ]);
  });
  it('GLUE TSV: tabs only (unbalanced quotes stay), a BOM dropped, a headerless file named by columns', () => {
    const mrpc = readGlueTsv(tmp('dev.tsv', '\uFEFFQuality\t#1 String\n1\t" The pie .\n'));
    expect(mrpc).toEqual([{ line: 2, fields: { Quality: '1', '#1 String': '" The pie .' } }]);
    const cola = readGlueTsv(tmp('cola.tsv', 'gj04\t1\t\tThe sailors rode.\ngj04\t0\t*\tRode.'), [
      'source',
      'label',
      'mark',
      'sentence',
    ]);
    expect(cola.map((r) => r.fields.sentence)).toEqual(['The sailors rode.', 'Rode.']);
    expect(() => readGlueTsv(tmp('bad.tsv', 'a\tb\n1\n'))).toThrow(/1 malformed row/);
  });
});

describe('SuperGLUE prompts as lm-evaluation-harness writes them', () => {
  const docsOf = (name: string, row: Record<string, unknown>) => {
    const made = SUPERGLUE_DEFINITIONS.find((d) => d.name === name)?.toDocs(row, 'x:1', 1);
    return Array.isArray(made) ? made : [made];
  };
  it('WSC marks the pronoun by its word index and detokenizes', () => {
    const [doc] = docsOf('wsc', {
      text: 'I tried to paint a picture of an orchard, with lemons in the lemon trees , but they came out looking more like light bulbs.',
      target: { span2_index: 17, span1_index: 13, span1_text: 'lemon trees', span2_text: 'they' },
      idx: 2,
      label: false,
    });
    expect(doc).toMatchObject({
      text: 'Passage: I tried to paint a picture of an orchard, with lemons in the lemon trees, but *they* came out looking more like light bulbs.\nQuestion: In the passage above, does the pronoun "*they*" refer to "*lemon trees*"?\nAnswer:',
      gold: [0],
    });
    expect(generalDetokenize('do n\'t ( x ) say " hi " , ok .')).toBe('don\'t (x) say"hi", ok.');
  });
  it("COPA drops the premise's full stop, adds the connector and lower-cases the choices", () => {
    const [doc] = docsOf('copa', {
      premise: 'The man turned on the faucet.',
      choice1: 'The toilet filled with water.',
      choice2: 'Water flowed from the spout.',
      question: 'effect',
      label: 1,
      idx: 0,
    });
    expect(doc).toMatchObject({
      text: 'The man turned on the faucet therefore',
      choices: ['the toilet filled with water.', 'water flowed from the spout.'],
      gold: [1],
    });
  });
  it('WiC names the word by its character offsets; labels from the JSONL and the Parquet agree', () => {
    const jsonl = docsOf('wic', {
      word: 'class',
      sentence1: 'An emerging professional class.',
      sentence2: 'It showed real class.',
      start1: 25,
      end1: 30,
      idx: 0,
      label: false,
    });
    const parquet = docsOf('wic', {
      word: 'class',
      sentence1: 'An emerging professional class.',
      sentence2: 'It showed real class.',
      start1: 25,
      end1: 30,
      idx: 0,
      label: 0,
    });
    expect(jsonl).toEqual(parquet);
    expect(jsonl[0]).toMatchObject({ gold: [0], choices: ['no', 'yes'] });
    expect('text' in (jsonl[0] ?? {}) && (jsonl[0] as { text: string }).text).toContain(
      "Is the word 'class' used in the same way",
    );
  });
});

describe('task metrics', () => {
  const p = (gold: number, predicted: number | null, extra: Partial<ChoicePrediction> = {}): ChoicePrediction => ({
    task: 't',
    predicted,
    predictedNorm: null,
    gold: [gold],
    choiceCount: 3,
    value: null,
    goldValue: null,
    group: null,
    f1: null,
    em: null,
    ...extra,
  });
  const items = [p(0, 0), p(1, 2), p(2, 2), p(1, 1), p(0, null), p(2, 0), p(1, 1), p(0, 0)];
  it('MCC and F1 equal the accuracy library (checked against scikit-learn), an unparseable answer its own class', () => {
    const truth = items.map((x) => x.gold[0] ?? 0);
    const predicted = items.map((x) => x.predicted ?? -1);
    const cm = confusionOf(truth, predicted);
    expect(taskMetric('mcc', items, OPTIONS)?.value).toBeCloseTo(matthewsCorrcoef(cm), 12);
    const perClass = precisionRecallF(cm, { average: null }).fScore;
    const classes = cm.labels.map(String);
    expect(taskMetric('f1', items, OPTIONS)?.value).toBeCloseTo(perClass[classes.indexOf('1')] ?? Number.NaN, 12);
    const macro = ['0', '1', '2'].reduce((s, c) => s + (perClass[classes.indexOf(c)] ?? 0), 0) / 3;
    expect(taskMetric('macro_f1', items, OPTIONS)?.value).toBeCloseTo(macro, 12);
    expect(taskMetric('acc', items, OPTIONS)).toMatchObject({ value: 5 / 8, n: 8 });
    expect(taskMetric('acc_norm', items, OPTIONS)).toBeNull();
  });
  it('MultiRC exact match needs every answer of a question right; chance is 0.5 per answer', () => {
    const multirc = [
      p(0, 0, { group: 'q1', choiceCount: 2 }),
      p(1, 1, { group: 'q1', choiceCount: 2 }),
      p(0, 1, { group: 'q2', choiceCount: 2 }),
    ];
    expect(taskMetric('em', multirc, OPTIONS)).toMatchObject({ value: 0.5, n: 2 });
    expect(chanceOf('em', multirc)).toBeCloseTo((0.25 + 0.5) / 2, 12);
    expect(chanceOf('acc', multirc)).toBe(0.5);
    expect(chanceOf('f1a', multirc)).toBeCloseTo((2 * (2 / 3) * 0.5) / (2 / 3 + 0.5), 12);
  });
});

describe('MMLU subjects and few-shot sampling', () => {
  it('57 subjects in four categories', () => {
    expect(MMLU_SUBJECT_NAMES).toHaveLength(57);
    const counts = Object.values(MMLU_SUBJECTS).reduce<Record<string, number>>(
      (c, x) => ({ ...c, [x]: (c[x] ?? 0) + 1 }),
      {},
    );
    expect(counts).toEqual({ stem: 19, humanities: 13, social_sciences: 12, other: 13 });
  });
  it('the same key draws the same distinct examples', () => {
    const pool = Array.from({ length: 50 }, (_, i) => i);
    const a = seededSample(pool, 5, '1/boolq/7');
    expect(seededSample(pool, 5, '1/boolq/7')).toEqual(a);
    expect(new Set(a).size).toBe(5);
    expect(seededSample(pool, 5, '1/boolq/8')).not.toEqual(a);
  });
});

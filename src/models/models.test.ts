import { describe, expect, it } from 'vitest';
import { Matrix } from 'ml-matrix';
import { MultinomialNB } from 'ml-naivebayes';
import { InvalidModelInput } from './classifier.js';
import { labelsOf, spreadSample, type LabeledExample } from './labeled-dataset.js';
import { referenceDataset, referenceRows } from './reference-datasets.js';
import { subjectAndBody } from './spam-corpus.js';
import { inputKey, stratifiedSplit } from './stratified-split.js';
import { parseFeatureInput } from './tabular-classifiers.js';
import { TextVocabulary } from './text-features.js';
import { trainTextClassifier } from './text-classifiers.js';
import { trainReferenceModel } from './train-reference.js';
import { wordTokens } from './tokenize.js';

function examples(count: number, label: (i: number) => string): LabeledExample[] {
  return Array.from({ length: count }, (_, i) => ({ id: `e${i}`, input: `message number ${i}`, label: label(i) }));
}

describe('stratified, leak-free splits', () => {
  const data = examples(1000, (i) => (i % 10 < 3 ? 'spam' : 'ham'));

  it('is seeded: the same seed gives the same split, another seed another', () => {
    const a = stratifiedSplit(data, { validation: 0.2, test: 0.2 }, 7);
    const b = stratifiedSplit(data, { validation: 0.2, test: 0.2 }, 7);
    const c = stratifiedSplit(data, { validation: 0.2, test: 0.2 }, 8);
    expect(a.test.map((e) => e.id)).toEqual(b.test.map((e) => e.id));
    expect(a.test.map((e) => e.id)).not.toEqual(c.test.map((e) => e.id));
  });

  it("covers every example once and keeps each label's share in every split", () => {
    const { train, validation, test } = stratifiedSplit(data, { validation: 0.2, test: 0.2 }, 1);
    const ids = [...train, ...validation, ...test].map((e) => e.id);
    expect(new Set(ids).size).toBe(1000);
    expect(ids).toHaveLength(1000);
    expect([train.length, validation.length, test.length]).toEqual([600, 200, 200]);
    for (const split of [train, validation, test])
      expect(split.filter((e) => e.label === 'spam').length / split.length).toBeCloseTo(0.3, 10);
  });

  it('puts repeated inputs (case and spacing aside) in one split', () => {
    const repeated = [
      ...data,
      ...data.slice(0, 50).map((e) => ({ ...e, id: `${e.id}-copy`, input: `  ${e.input.toUpperCase()}  ` })),
    ];
    const splits = stratifiedSplit(repeated, { validation: 0.2, test: 0.2 }, 3);
    const where = new Map<string, string>();
    for (const name of ['train', 'validation', 'test'] as const) for (const e of splits[name]) where.set(e.id, name);
    for (const e of data.slice(0, 50)) expect(where.get(`${e.id}-copy`)).toBe(where.get(e.id));
    expect(inputKey('A  b')).toBe(inputKey(' a b '));
  });

  it('spreads a sample over the whole list', () => {
    expect(spreadSample([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 5)).toEqual([0, 2, 4, 6, 8]);
    expect(spreadSample([1, 2], 5)).toEqual([1, 2]);
  });
});

describe('text features', () => {
  it('tokenizes into lower-case words, keeping $ and ! runs', () => {
    expect(wordTokens("FREE money!!! Don't wait: $100 now")).toEqual([
      'free',
      'money!!!',
      "don't",
      'wait',
      '$100',
      'now',
    ]);
  });

  it("computes TF-IDF with scikit-learn's smooth idf and unit norm", () => {
    const docs = [['a', 'b', 'b'], ['a', 'c'], ['a', 'b'], ['d']];
    const vocabulary = TextVocabulary.fit(docs, [0, 1, 0, 1], 2, {
      maxTerms: 10,
      minDocuments: 1,
      selection: 'frequency',
    });
    expect(vocabulary.terms).toEqual(['a', 'b', 'c', 'd']);
    // idf = ln((1 + 4) / (1 + df)) + 1: a df 3, b df 2; the first document has a once and b twice.
    const idfA = Math.log(5 / 4) + 1;
    const idfB = Math.log(5 / 3) + 1;
    const norm = Math.hypot(idfA, 2 * idfB);
    const vector = vocabulary.tfidf(['a', 'b', 'b', 'unknown']);
    expect(vector[0]).toBeCloseTo(idfA / norm, 12);
    expect(vector[1]).toBeCloseTo((2 * idfB) / norm, 12);
    expect(vector[2]).toBe(0);
    expect(Array.from(vocabulary.counts(['b', 'b', 'd']))).toEqual([0, 2, 0, 1]);
  });

  it('ranks words by χ² of presence against the class', () => {
    // 'x' appears only in class 1, 'y' in both equally: x is informative, y is not.
    const docs = [['x', 'y'], ['x', 'y'], ['y'], ['y']];
    const vocabulary = TextVocabulary.fit(docs, [1, 1, 0, 0], 2, { maxTerms: 1, minDocuments: 1, selection: 'chi2' });
    expect(vocabulary.terms).toEqual(['x']);
  });
});

describe('the reference datasets', () => {
  it("keeps a message's subject and body and drops the other headers", () => {
    const raw = 'From: a@b\r\nReceived: by relay.example\r\nSubject: Cheap pills\r\n\r\nBuy now.\r\n';
    expect(subjectAndBody(raw)).toBe('Cheap pills\n\nBuy now.');
  });

  it('loads the SpamAssassin corpus without repeats, split 60/20/20 by label', () => {
    const { dataset, splits } = referenceDataset('spam-assassin');
    expect(dataset.examples.length).toBeGreaterThan(5800);
    expect(new Set(dataset.examples.map((e) => inputKey(e.input))).size).toBe(dataset.examples.length);
    expect(labelsOf(dataset.examples)).toEqual(['ham', 'spam']);
    const spamShare = (list: readonly LabeledExample[]): number =>
      list.filter((e) => e.label === 'spam').length / list.length;
    expect(Math.abs(spamShare(splits.test) - spamShare(dataset.examples))).toBeLessThan(0.002);
    expect(splits.test.length).toBeGreaterThan(1100);
    const rows = referenceRows('spam-assassin', 'test');
    expect(rows[0]).toEqual({ id: splits.test[0]?.id, input: splits.test[0]?.input, expected: splits.test[0]?.label });
  });

  it('reads tabular inputs as JSON or comma-separated numbers, and says what is wrong otherwise', () => {
    expect(parseFeatureInput('{"a": 1, "b": "2.5"}', ['a', 'b'])).toEqual([1, 2.5]);
    expect(parseFeatureInput('1, 2', ['a', 'b'])).toEqual([1, 2]);
    expect(() => parseFeatureInput('{"a": 1}', ['a', 'b'])).toThrow(InvalidModelInput);
    expect(() => parseFeatureInput('1,2,3', ['a', 'b'])).toThrow(/expected 2 numbers/);
  });
});

describe('the classifiers', () => {
  it("naive Bayes' posterior agrees with ml-naivebayes's own prediction", () => {
    const train = [
      ...examples(40, () => 'spam').map((e, i) => ({
        ...e,
        input: `win free money now ${i % 3 === 0 ? 'prize' : 'cash'}`,
      })),
      ...examples(40, () => 'ham').map((e, i) => ({
        ...e,
        id: `h${i}`,
        input: `meeting notes for the project ${i % 2 === 0 ? 'review' : 'plan'}`,
      })),
    ];
    const model = trainTextClassifier('naive-bayes', { train, validation: [], labels: ['ham', 'spam'] });
    const library = new MultinomialNB();
    const vocabulary = TextVocabulary.fit(
      train.map((e) => wordTokens(e.input)),
      train.map((e) => (e.label === 'spam' ? 1 : 0)),
      2,
      { maxTerms: 2000, minDocuments: 2, selection: 'frequency' },
    );
    library.train(
      new Matrix(train.map((e) => Array.from(vocabulary.counts(wordTokens(e.input))))),
      train.map((e) => (e.label === 'spam' ? 1 : 0)),
    );
    for (const text of ['free cash prize', 'project review meeting', 'free project', 'nothing known here']) {
      const prediction = model.predict(text);
      expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(prediction.label).toBe(
        ['ham', 'spam'][library.predict([Array.from(vocabulary.counts(wordTokens(text)))])[0] ?? 0],
      );
    }
  });

  it.each(['spam-nb', 'spam-logreg', 'spam-knn', 'iris-forest'] as const)(
    '%s is deterministic and far better than the majority class on its test split',
    (name) => {
      const model = trainReferenceModel(name);
      const again = trainReferenceModel(name);
      const test = spreadSample(referenceDataset(model.dataset === 'iris' ? 'iris' : 'spam-assassin').splits.test, 200);
      const predictions = test.map((e) => model.classifier.predict(e.input));
      expect(test.map((e) => again.classifier.predict(e.input).label)).toEqual(predictions.map((p) => p.label));
      const accuracy = predictions.filter((p, i) => p.label === test[i]?.label).length / test.length;
      const counts = new Map<string, number>();
      for (const e of test) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
      const majority = Math.max(...counts.values()) / test.length;
      expect(accuracy).toBeGreaterThan(majority + 0.15);
      for (const p of predictions) expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    },
    120_000,
  );
});

// The reference models against scikit-learn, in the same run and on the same splits: each yardstick model is trained
// on the train split and scored on the whole test split (1,187 SpamAssassin messages, 31 iris flowers), timing
// training and prediction; scikit-learn fits its counterpart on the same words (yardstick's tokens, so only the
// models differ) — MultinomialNB on counts of the 2,000 most frequent words, LogisticRegression and k-NN on TF-IDF of
// 300 χ²-selected words (k chosen on the validation split), a 50-tree RandomForestClassifier on iris.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REFERENCE_MODELS, REFERENCE_MODEL_NAMES } from '../dist/models/reference-catalog.js';
import { referenceDataset, REFERENCE_SEED } from '../dist/models/reference-datasets.js';
import { trainModel } from '../dist/models/train-model.js';
import { wordTokens } from '../dist/models/tokenize.js';

const PYTHON = '/usr/bin/python3';

function ours() {
  const rows = [];
  for (const name of REFERENCE_MODEL_NAMES) {
    const spec = REFERENCE_MODELS[name];
    const { dataset, splits } = referenceDataset(spec.dataset);
    const model = trainModel(name, spec.family, dataset, splits, REFERENCE_SEED);
    const started = performance.now();
    const correct = splits.test.filter((e) => model.classifier.predict(e.input).label === e.label).length;
    const predictMs = performance.now() - started;
    rows.push({
      model: name,
      description: model.classifier.description,
      testAccuracy: correct / splits.test.length,
      n: splits.test.length,
      trainMs: model.trainMs,
      msPerPrediction: predictMs / splits.test.length,
    });
  }
  return rows;
}

function peer() {
  if (!existsSync(PYTHON)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'ys-ref-'));
  const spam = referenceDataset('spam-assassin').splits;
  const iris = referenceDataset('iris').splits;
  const text = (list) => list.map((e) => ({ tokens: wordTokens(e.input), label: e.label }));
  const table = (list) => list.map((e) => ({ features: e.features, label: e.label }));
  writeFileSync(
    join(dir, 'data.json'),
    JSON.stringify({
      spam: { train: text(spam.train), validation: text(spam.validation), test: text(spam.test) },
      iris: { train: table(iris.train), test: table(iris.test) },
    }),
  );
  const script = `
import json, sys, time
import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.naive_bayes import MultinomialNB
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.preprocessing import normalize
d = json.load(open(sys.argv[1]))
s = d['spam']
def xs(split): return [r['tokens'] for r in split]
def ys(split): return [r['label'] for r in split]
ident = lambda t: t
out = []
def timed(name, fit, predict, test_y):
    t0 = time.perf_counter(); fit(); t1 = time.perf_counter(); p = predict(); t2 = time.perf_counter()
    out.append({'model': name, 'testAccuracy': float(np.mean(np.array(p) == np.array(test_y))), 'trainMs': (t1 - t0) * 1000, 'msPerPrediction': (t2 - t1) * 1000 / len(test_y)})
cv = CountVectorizer(analyzer=ident, max_features=2000, min_df=2)
nb = MultinomialNB(alpha=1.0)
timed('spam-nb', lambda: nb.fit(cv.fit_transform(xs(s['train'])), ys(s['train'])), lambda: [nb.predict(cv.transform([x]))[0] for x in xs(s['test'])], ys(s['test']))
tf = TfidfVectorizer(analyzer=ident, min_df=2)
sel = SelectKBest(chi2, k=300)
def features(split, fit=False):
    m = tf.fit_transform(xs(split)) if fit else tf.transform(xs(split))
    m = sel.fit_transform(m, ys(split)) if fit else sel.transform(m)
    return normalize(m)
lr = LogisticRegression(max_iter=1000)
timed('spam-logreg', lambda: lr.fit(features(s['train'], True), ys(s['train'])), lambda: [lr.predict(features([{'tokens': x}]))[0] for x in xs(s['test'])], ys(s['test']))
Xtr = features(s['train'], True); Xva = features(s['validation'])
best = max([1, 3, 5, 7, 9], key=lambda k: (KNeighborsClassifier(n_neighbors=k).fit(Xtr, ys(s['train'])).score(Xva, ys(s['validation'])), -k))
knn = KNeighborsClassifier(n_neighbors=best)
timed('spam-knn', lambda: knn.fit(Xtr, ys(s['train'])), lambda: [knn.predict(features([{'tokens': x}]))[0] for x in xs(s['test'])], ys(s['test']))
out[-1]['k'] = best
i = d['iris']
rf = RandomForestClassifier(n_estimators=50, random_state=1)
timed('iris-forest', lambda: rf.fit([r['features'] for r in i['train']], [r['label'] for r in i['train']]), lambda: [rf.predict([r['features']])[0] for r in i['test']], [r['label'] for r in i['test']])
print(json.dumps(out))
`;
  const result = spawnSync(PYTHON, ['-c', script, join(dir, 'data.json')], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) return { error: result.stderr.slice(-500) };
  return JSON.parse(result.stdout);
}

/** Accuracy and speed of each reference model beside scikit-learn's counterpart on the same split. */
export async function referenceModels() {
  const yardstick = ours();
  const sklearn = peer();
  return {
    name: 'reference models vs scikit-learn, SpamAssassin (1,187 test messages) and iris (31 test flowers)',
    models: yardstick.map((row) => {
      const other = Array.isArray(sklearn) ? sklearn.find((s) => s.model === row.model) : null;
      return {
        ...row,
        sklearnTestAccuracy: other?.testAccuracy ?? null,
        sklearnTrainMs: other?.trainMs ?? null,
        sklearnMsPerPrediction: other?.msPerPrediction ?? null,
        sklearnK: other?.k ?? null,
        predictionTimeRatioYardstickToSklearn: other ? row.msPerPrediction / other.msPerPrediction : null,
      };
    }),
    sklearnError: Array.isArray(sklearn) || sklearn === null ? null : sklearn.error,
  };
}

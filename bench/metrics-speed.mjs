// Speed of the accuracy library on large inputs, beside scikit-learn and scipy on inputs of the same size and
// kind, timed in the same run: 10M binary predictions (confusion matrix, precision, recall, F1), ROC AUC of 1M
// scores, two-sample KS of 1M against 1M values. Python times exclude array creation, as ours do.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { precisionRecallF } from '../dist/accuracy/classification.js';
import { confusionFromCodes } from '../dist/accuracy/confusion-matrix.js';
import { rocAucBinary } from '../dist/accuracy/scores.js';
import { seededRandom } from '../dist/core/random.js';
import { ksTwoSample } from '../dist/stats/ks-two-sample.js';

const PYTHON = '/usr/bin/python3';

function best(run, repeats = 3) {
  let fastest = Infinity;
  let value;
  for (let i = 0; i < repeats; i += 1) {
    const started = performance.now();
    value = run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return { ms: fastest, value };
}

function python() {
  if (!existsSync(PYTHON)) return null;
  const script = `
import json, time, numpy as np
from sklearn import metrics as M
from scipy import stats
rng = np.random.default_rng(1)
def best(f, r=3):
    t = min((lambda s: (f(), time.perf_counter() - s)[1])(time.perf_counter()) for _ in range(r))
    return t * 1000
yt = rng.integers(0, 2, 10_000_000); yp = np.where(rng.random(10_000_000) < 0.8, yt, 1 - yt)
cls = best(lambda: (M.confusion_matrix(yt, yp), M.precision_recall_fscore_support(yt, yp, average='binary')))
y = rng.integers(0, 2, 1_000_000); s = rng.random(1_000_000) + y * 0.3
auc = best(lambda: M.roc_auc_score(y, s))
a = rng.normal(0, 1, 1_000_000); b = rng.normal(0.01, 1, 1_000_000)
ks = best(lambda: stats.ks_2samp(a, b))
print(json.dumps({"classificationMs": cls, "rocAucMs": auc, "ksMs": ks}))
`;
  try {
    return JSON.parse(execFileSync(PYTHON, ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 20 }));
  } catch {
    return null;
  }
}

export function metricsSpeed() {
  const random = seededRandom(1);
  const n = 10_000_000;
  const truth = new Int32Array(n);
  const pred = new Int32Array(n);
  for (let i = 0; i < n; i += 1) {
    truth[i] = random() < 0.5 ? 1 : 0;
    pred[i] = random() < 0.8 ? truth[i] : 1 - truth[i];
  }
  const classification = best(() =>
    precisionRecallF(confusionFromCodes(truth, pred, [0, 1]), { average: 'binary', posLabel: 1 }),
  );
  const m = 1_000_000;
  const positives = Array.from({ length: m }, () => random() < 0.5);
  const scores = Float64Array.from(positives, (p) => random() + (p ? 0.3 : 0));
  const auc = best(() => rocAucBinary(positives, scores));
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const a = Float64Array.from({ length: m }, normal);
  const b = Float64Array.from({ length: m }, () => normal() + 0.01);
  const ks = best(() => ksTwoSample(a, b));
  const peer = python();
  return {
    name: 'accuracy library speed beside scikit-learn / scipy',
    classification10MMs: classification.ms,
    rocAuc1MMs: auc.ms,
    ks1Mx1MMs: ks.ms,
    sklearnClassification10MMs: peer?.classificationMs ?? null,
    sklearnRocAuc1MMs: peer?.rocAucMs ?? null,
    scipyKs1Mx1MMs: peer?.ksMs ?? null,
    ratioClassification: peer ? classification.ms / peer.classificationMs : null,
    ratioRocAuc: peer ? auc.ms / peer.rocAucMs : null,
    ratioKs: peer ? ks.ms / peer.ksMs : null,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(metricsSpeed(), null, 2));

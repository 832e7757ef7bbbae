// The whole `yardstick metrics` command on large files, beside pandas + scikit-learn reading the same file in the
// same run: 10M binary predictions (40 MB CSV) and 1M binary scores. Wall time and peak RSS of each process (GNU
// time), three rounds each, the median reported; then where yardstick's time goes, phase by phase, in this process.
// Two peers: the same metrics yardstick reports (without intervals, which scikit-learn does not give), and the least
// a user would run (a confusion matrix with binary precision/recall/F1, or roc_auc_score alone).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateClassificationCodes } from '../dist/accuracy/evaluate.js';
import { seededRandom } from '../dist/core/random.js';
import { mergeLabelColumns, PredictionTable } from '../dist/data/prediction-columns.js';
import { CLI } from './lib.mjs';

const PYTHON = '/usr/bin/python3';
const TIME = '/usr/bin/time';
const ROUNDS = 3;

const PEER = `
import sys
import pandas as pd
from sklearn import metrics as M
from sklearn.calibration import calibration_curve
kind, work, path = sys.argv[1], sys.argv[2], sys.argv[3]
df = pd.read_csv(path)
y = df['y'].to_numpy()
if kind == 'labels':
    p = df['p'].to_numpy()
    M.confusion_matrix(y, p)
    M.precision_recall_fscore_support(y, p, average='binary')
    if work == 'same':
        M.accuracy_score(y, p); M.balanced_accuracy_score(y, p)
        for average in ['macro', 'weighted', 'micro']:
            M.precision_recall_fscore_support(y, p, average=average)
        M.matthews_corrcoef(y, p); M.cohen_kappa_score(y, p)
else:
    s = df['s'].to_numpy()
    M.roc_auc_score(y, s)
    if work == 'same':
        M.average_precision_score(y, s); M.log_loss(y, s); M.brier_score_loss(y, s); calibration_curve(y, s, n_bins=10)
`;

function writeCsv(path, header, rows, row) {
  const fd = openSync(path, 'w');
  writeSync(fd, `${header}\n`);
  let lines = [];
  for (let i = 0; i < rows; i += 1) {
    lines.push(row());
    if (lines.length === 100_000) {
      writeSync(fd, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) writeSync(fd, `${lines.join('\n')}\n`);
  closeSync(fd);
}

/** Median wall seconds and peak RSS (MB) over the rounds, from GNU time. */
function measure(command, args) {
  const runs = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    const { stderr } = spawnSync(TIME, ['-f', 'TIME %e %M', command, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const match = /TIME ([\d.]+) (\d+)/.exec(stderr ?? '');
    if (match === null) return null;
    runs.push({ s: Number(match[1]), mb: Number(match[2]) / 1024 });
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { wallS: median(runs.map((r) => r.s)), peakMb: median(runs.map((r) => r.mb)), rounds: runs };
}

async function phases(path) {
  const started = performance.now();
  const table = await PredictionTable.read(path, { truth: 'y', prediction: 'p', score: null }, false);
  const read = performance.now();
  const encoded = mergeLabelColumns(table.numberLabels('y'), table.numberLabels('p'));
  const labelled = performance.now();
  evaluateClassificationCodes(encoded, null, undefined, { confidence: 0.95, resamples: 0, seed: 1 });
  const computed = performance.now();
  evaluateClassificationCodes(encoded, null, undefined, { confidence: 0.95, resamples: 1000, seed: 1 });
  const withIntervals = performance.now();
  return {
    readMs: read - started,
    labelsMs: labelled - read,
    metricsMs: computed - labelled,
    metricsWithBootstrapMs: withIntervals - computed,
  };
}

export async function metricsCommand() {
  if (!existsSync(TIME)) return { skipped: `${TIME} (GNU time) is needed for peak memory` };
  const dir = mkdtempSync(join(tmpdir(), 'ys-metrics-bench-'));
  const random = seededRandom(1);
  const labels = join(dir, 'labels-10m.csv');
  writeCsv(labels, 'y,p', 10_000_000, () => {
    const y = random() < 0.5 ? 1 : 0;
    return `${y},${random() < 0.8 ? y : 1 - y}`;
  });
  const scores = join(dir, 'scores-1m.csv');
  writeCsv(scores, 'y,s', 1_000_000, () => {
    const y = random() < 0.5 ? 1 : 0;
    return `${y},${Math.min(1, random() * 0.7 + y * 0.3).toFixed(6)}`;
  });
  const store = join(dir, 'store.db');
  const yardstick = (file, args) =>
    measure(process.execPath, [CLI, '--store', store, 'metrics', file, ...args, '--json']);
  const peer = (kind, work, file) => (existsSync(PYTHON) ? measure(PYTHON, ['-c', PEER, kind, work, file]) : null);
  const ratio = (a, b) => (a === null || b === null ? null : a.wallS / b.wallS);
  const memoryRatio = (a, b) => (a === null || b === null ? null : a.peakMb / b.peakMb);
  const result = { name: 'yardstick metrics on 10M predictions and 1M scores beside pandas + scikit-learn' };
  for (const [key, file, args, kind] of [
    ['labels10M', labels, ['--true', 'y', '--pred', 'p'], 'labels'],
    ['scores1M', scores, ['--true', 'y', '--score', 's'], 'scores'],
  ]) {
    const ours = yardstick(file, args);
    const same = peer(kind, 'same', file);
    const least = peer(kind, 'least', file);
    result[key] = {
      yardstick: ours,
      peerSameMetrics: same,
      peerLeast: least,
      ratioToSameMetrics: ratio(ours, same),
      ratioToLeast: ratio(ours, least),
      memoryRatioToSameMetrics: memoryRatio(ours, same),
      memoryRatioToLeast: memoryRatio(ours, least),
    };
  }
  result.labels10MPhases = await phases(labels);
  rmSync(dir, { recursive: true, force: true });
  return result;
}

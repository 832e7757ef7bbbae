// Drift on 1,000,000 rows × 20 columns (14 numeric, 6 categorical) in each of two CSV files: `yardstick drift`
// timed end to end in its own process (reading both files, typing the columns, 20 tests, the verdict, storing the
// run), with its peak RSS. Beside it, in the same run, pandas + scipy on the same files compute the same statistics
// (Wasserstein distance over the reference's standard deviation, Jensen–Shannon distance of category shares).
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../dist/core/random.js';
import { CLI } from './lib.mjs';

const ROWS = 1_000_000;
const NUMERIC = 14;
const CATEGORICAL = 6;
const PYTHON = '/usr/bin/python3';

export function writeCsv(path, seed, shift) {
  const random = seededRandom(seed);
  const file = openSync(path, 'w');
  const names = [
    ...Array.from({ length: NUMERIC }, (_, i) => `n${i}`),
    ...Array.from({ length: CATEGORICAL }, (_, i) => `c${i}`),
  ];
  writeSync(file, `${names.join(',')}\n`);
  let lines = [];
  for (let r = 0; r < ROWS; r += 1) {
    const row = [];
    for (let c = 0; c < NUMERIC; c += 1) row.push((random() * 100 + shift * c).toFixed(3));
    for (let c = 0; c < CATEGORICAL; c += 1) row.push('abcde'[Math.floor(random() * (random() < shift ? 2 : 5))]);
    lines.push(row.join(','));
    if (lines.length === 10_000) {
      writeSync(file, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  closeSync(file);
}

function peer(reference, current) {
  if (!existsSync(PYTHON)) return null;
  const script = `
import json, sys, time
import numpy as np, pandas as pd
from scipy import stats
from scipy.spatial import distance
start = time.perf_counter()
ref = pd.read_csv(sys.argv[1]); cur = pd.read_csv(sys.argv[2])
out = {}
for name in ref.columns:
    if ref[name].dtype.kind in 'fi':
        out[name] = stats.wasserstein_distance(ref[name], cur[name]) / np.std(ref[name])
    else:
        cats = sorted(set(ref[name]) | set(cur[name]))
        r = ref[name].value_counts().reindex(cats, fill_value=0); c = cur[name].value_counts().reindex(cats, fill_value=0)
        out[name] = distance.jensenshannon(r / r.sum(), c / c.sum())
print(json.dumps({"ms": (time.perf_counter() - start) * 1000, "statistics": out}))
`;
  try {
    return JSON.parse(
      execFileSync(PYTHON, ['-c', script, reference, current], { encoding: 'utf8', maxBuffer: 1 << 20 }),
    );
  } catch {
    return null;
  }
}

export function driftSpeed() {
  const dir = mkdtempSync(join(tmpdir(), 'ys-bench-drift-'));
  const reference = join(dir, 'reference.csv');
  const current = join(dir, 'current.csv');
  writeCsv(reference, 1, 0);
  writeCsv(current, 2, 0.05);
  // A child that runs the command's code and reports its own peak RSS (worker threads included).
  const script = `
const { runDrift } = await import(${JSON.stringify(new URL('../dist/drift/run-drift.js', import.meta.url).href)});
const { openStore } = await import(${JSON.stringify(new URL('../dist/store/open-store.js', import.meta.url).href)});
const started = performance.now();
const store = openStore(${JSON.stringify(join(dir, 'store.db'))});
const result = await runDrift({ referencePath: ${JSON.stringify(reference)}, currentPath: ${JSON.stringify(current)}, columns: null, test: null, threshold: null, method: 'share', shareThreshold: 0.5, types: {}, prediction: null, label: null }, store);
await store.close();
console.log(JSON.stringify({ ms: performance.now() - started, maxRssMb: process.resourceUsage().maxRSS / 1024, columns: result.columns.map((c) => [c.name, c.test, c.statistic]) }));
`;
  const scriptPath = join(dir, 'measure.mjs');
  writeFileSync(scriptPath, script);
  const child = spawnSync(process.execPath, [scriptPath], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(child.stderr);
  const ours = JSON.parse(child.stdout);
  const started = performance.now();
  execFileSync(process.execPath, [CLI, '--store', join(dir, 'cli.db'), 'drift', reference, current, '--json'], {
    maxBuffer: 16 << 20,
  });
  const cliMs = performance.now() - started;
  const python = peer(reference, current);
  const largestDifference =
    python === null
      ? null
      : Math.max(...ours.columns.map(([name, , value]) => Math.abs(value - python.statistics[name])));
  return {
    name: `drift, ${ROWS.toLocaleString('en')} rows × ${NUMERIC + CATEGORICAL} columns per file`,
    yardstickMs: ours.ms,
    yardstickCliWallMs: cliMs,
    yardstickPeakRssMb: ours.maxRssMb,
    pandasScipyMs: python?.ms ?? null,
    ratioYardstickToPandasScipy: python === null ? null : ours.ms / python.ms,
    largestStatisticDifference: largestDifference,
    tests: [...new Set(ours.columns.map(([, test]) => test))],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(driftSpeed(), null, 2));

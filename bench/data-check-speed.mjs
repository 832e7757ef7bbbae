// Data check on 1,000,000 rows × 20 columns (the drift bench's reference file): `runDataCheck` in its own process,
// timed from start to the stored run, with its peak RSS, and with c0 as the label (class balance, conflicting labels).
// Beside it, pandas on the same file does the core of the same work: missing counts, distinct counts, IQR outliers
// per numeric column, exact duplicate rows and duplicate inputs with different labels.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCsv } from './drift-speed.mjs';

const PYTHON = '/usr/bin/python3';

function peer(path) {
  if (!existsSync(PYTHON)) return null;
  const script = `
import json, sys, time
import pandas as pd
start = time.perf_counter()
df = pd.read_csv(sys.argv[1])
missing = df.isna().sum().to_dict(); distinct = df.nunique().to_dict()
outliers = {}
for name in df.select_dtypes('number').columns:
    q1, q3 = df[name].quantile([0.25, 0.75]); iqr = q3 - q1
    outliers[name] = int(((df[name] < q1 - 1.5 * iqr) | (df[name] > q3 + 1.5 * iqr)).sum())
duplicates = int(df.duplicated().sum())
inputs = [c for c in df.columns if c != 'c0']
conflicts = int((df.groupby(inputs)['c0'].nunique() > 1).sum())
print(json.dumps({"ms": (time.perf_counter() - start) * 1000, "duplicates": duplicates, "conflicts": conflicts}))
`;
  try {
    return JSON.parse(execFileSync(PYTHON, ['-c', script, path], { encoding: 'utf8', maxBuffer: 1 << 20 }));
  } catch {
    return null;
  }
}

export function dataCheckSpeed() {
  const dir = mkdtempSync(join(tmpdir(), 'ys-bench-check-'));
  const file = join(dir, 'data.csv');
  writeCsv(file, 1, 0);
  const script = `
const { runDataCheck } = await import(${JSON.stringify(new URL('../dist/quality/run-data-check.js', import.meta.url).href)});
const started = performance.now();
const result = await runDataCheck({ file: ${JSON.stringify(file)}, splitFiles: [], split: null, label: 'c0', types: {}, expectations: [] }, null);
console.log(JSON.stringify({ ms: performance.now() - started, maxRssMb: process.resourceUsage().maxRSS / 1024, findings: result.findings.length, counts: result.counts }));
`;
  const scriptPath = join(dir, 'measure.mjs');
  writeFileSync(scriptPath, script);
  const child = spawnSync(process.execPath, [scriptPath], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(child.stderr);
  const ours = JSON.parse(child.stdout);
  const python = peer(file);
  return {
    name: 'data check, 1,000,000 rows × 20 columns',
    yardstickMs: ours.ms,
    yardstickPeakRssMb: ours.maxRssMb,
    findings: ours.counts,
    pandasMs: python?.ms ?? null,
    ratioYardstickToPandas: python === null ? null : ours.ms / python.ms,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(dataCheckSpeed(), null, 2));

import { evaluateDataCheckThresholds, type DataCheckThreshold } from './data-check-thresholds.js';
import type { ThresholdResult } from '../core/types.js';
import { basename } from 'node:path';
import { usageError } from '../core/errors.js';
import { newRunId } from '../store/run-id.js';
import { saveFinishedRun } from '../store/run-lifecycle.js';
import type { Store } from '../store/store.js';
import type { ColumnAccumulator } from '../data/column-accumulator.js';
import { inferType, type ColumnType } from '../data/column-types.js';
import { readColumnsOfEach, type ColumnTable } from '../data/read-columns.js';
import { checkColumn, type ColumnProfile } from './column-checks.js';
import { checkDataset, type DataPart } from './dataset-checks.js';
import { checkExpectation, type Expectation } from './expect-checks.js';
import { SEVERITY_ORDER, type Finding } from './finding.js';
import { identifierColumns, identifiersFinding } from './identifiers.js';
import { checkSplits } from './split-checks.js';

export interface DataCheckOptions {
  /** One file (optionally split by `split`), or named split files (train first). */
  file: string | null;
  splitFiles: { name: string; path: string }[];
  split: string | null;
  label: string | null;
  types: Readonly<Record<string, ColumnType>>;
  expectations: Expectation[];
  /** Pass/fail rules on the findings (`errors < 1`, `findings(duplicates) < 1`); none by default. */
  thresholds?: readonly DataCheckThreshold[];
}

/** The `--json` output of `yardstick data check` and the summary stored with the run. */
export interface DataCheckJson {
  schemaVersion: 1;
  kind: 'data-check';
  runId: string;
  files: { name: string; path: string; rows: number }[];
  columns: ColumnProfile[];
  /** Columns treated as row identifiers: left out of the duplicate, conflict and leakage keys. */
  identifiers: string[];
  findings: Finding[];
  counts: { error: number; warning: number; info: number };
  /** The verdict of each threshold given (none by default). */
  thresholds: ThresholdResult[];
}

function splitParts(table: ColumnTable, column: string): DataPart[] {
  const values = table.columns.get(column);
  if (values === undefined)
    throw usageError(
      'COLUMN_UNKNOWN',
      `--split '${column}' is not a column of ${table.path}`,
      `columns: ${[...table.columns.keys()].join(', ')}`,
    );
  const rows = new Map<string, number[]>();
  for (let row = 0; row < table.rows; row += 1) {
    const value = values.textAt(row) ?? '(missing)';
    const list = rows.get(value) ?? [];
    list.push(row);
    rows.set(value, list);
  }
  // Train first: the split named like it, else the largest.
  const names = [...rows.keys()].sort(
    (a, b) =>
      (/^train/i.test(b) ? 1 : 0) - (/^train/i.test(a) ? 1 : 0) ||
      (rows.get(b)?.length ?? 0) - (rows.get(a)?.length ?? 0),
  );
  return names.map((name) => ({ name, table, rows: Int32Array.from(rows.get(name) ?? []) }));
}

/** Checks one data file (or its splits, or several split files): column profiles, dataset and split findings, representativeness. */
export async function runDataCheck(options: DataCheckOptions, store: Store | null): Promise<DataCheckJson> {
  const createdAt = new Date().toISOString();
  const named = options.file !== null ? [{ name: '', path: options.file }] : options.splitFiles;
  if (named.length === 0)
    throw usageError('FLAG_INVALID', 'nothing to check', 'give a file, or --train and --test files');
  const tables = await readColumnsOfEach(named.map((n) => n.path));
  const main = tables[0] as ColumnTable;
  for (const column of [options.label, options.split]) {
    if (column !== null && !main.columns.has(column))
      throw usageError(
        'COLUMN_UNKNOWN',
        `'${column}' is not a column of ${main.path}`,
        `columns: ${[...main.columns.keys()].join(', ')}`,
      );
  }
  const findings: Finding[] = [];
  const names = [...main.columns.keys()];
  const inputs = names.filter((n) => n !== options.label && n !== options.split);
  const columns: ColumnProfile[] = [];
  for (const name of names) {
    const sides = tables.map((t) => t.columns.get(name)).filter((c): c is ColumnAccumulator => c !== undefined);
    const inferred = inferType(sides);
    const type = options.types[name] ?? inferred.type;
    const checked = checkColumn(
      name,
      main.columns.get(name) as ColumnAccumulator,
      type,
      options.types[name] === undefined ? inferred.mixedShare : null,
    );
    columns.push(checked.profile);
    findings.push(...checked.findings);
  }
  for (const [i, table] of tables.entries()) {
    if (i === 0) continue;
    const missing = names.filter((n) => !table.columns.has(n));
    const extra = [...table.columns.keys()].filter((n) => !main.columns.has(n));
    if (missing.length + extra.length > 0)
      findings.push({
        severity: 'error',
        check: 'schema',
        column: null,
        message: `${named[i]?.name ?? ''} ${missing.length > 0 ? `lacks ${missing.join(', ')}` : ''}${missing.length > 0 && extra.length > 0 ? ' and ' : ''}${extra.length > 0 ? `has extra ${extra.join(', ')}` : ''}`,
        advice: 'splits must have the same columns; the checks between splits use the shared ones',
        details: { missing: missing.length, extra: extra.length },
      });
  }
  const allShared = inputs.filter((n) => tables.every((t) => t.columns.has(n)));
  const found = identifierColumns(columns, allShared);
  // With nothing but identifiers, the identifiers are what there is to compare.
  const identifiers = found.length < allShared.length ? found : [];
  findings.push(...identifiersFinding(identifiers));
  const shared = allShared.filter((n) => !identifiers.includes(n));
  const parts: DataPart[] =
    options.split !== null
      ? splitParts(main, options.split)
      : tables.map((table, i) => ({ name: named[i]?.name ?? '', table, rows: null }));
  const label =
    options.label !== null && tables.every((t) => t.columns.has(options.label ?? '')) ? options.label : null;
  for (const part of parts) findings.push(...checkDataset(part, shared, label));
  if (parts.length > 1) findings.push(...checkSplits(parts, shared, label));
  for (const expectation of options.expectations)
    findings.push(...checkExpectation(expectation, main.columns.get(expectation.column)));
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  const summary: DataCheckJson = {
    schemaVersion: 1,
    kind: 'data-check',
    runId: newRunId(),
    files: named.map((n, i) => ({ name: n.name, path: n.path, rows: tables[i]?.rows ?? 0 })),
    columns,
    identifiers,
    findings,
    counts,
    thresholds: evaluateDataCheckThresholds(options.thresholds ?? [], findings),
  };
  await saveFinishedRun(store, {
    id: summary.runId,
    kind: 'data-check',
    createdAt,
    status: 'completed',
    config: options,
    target: { kind: 'file', name: basename(main.path), url: main.path, model: null, streaming: false },
    summary,
  });
  return summary;
}

import { basename } from 'node:path';
import { readColumnsOfEach, type ColumnTable } from '../data/read-columns.js';
import { newRunId } from '../store/run-id.js';
import { saveFinishedRun } from '../store/run-lifecycle.js';
import type { Store } from '../store/store.js';
import { compareTables, type ComparisonOptions, type TableComparison } from './compare-tables.js';

export interface DriftOptions extends ComparisonOptions {
  referencePath: string;
  currentPath: string;
}

/** The `--json` output of `yardstick drift` and the summary stored with the run. */
export interface DriftJson extends TableComparison {
  schemaVersion: 1;
  kind: 'drift';
  runId: string;
  reference: { path: string; rows: number };
  current: { path: string; rows: number };
}

/** Compares every shared column of two data files: a test per column chosen by type and size, effect sizes, and a dataset verdict. */
export async function runDrift(options: DriftOptions, store: Store | null): Promise<DriftJson> {
  const createdAt = new Date().toISOString();
  const [reference, current] = (await readColumnsOfEach([options.referencePath, options.currentPath])) as [
    ColumnTable,
    ColumnTable,
  ];
  const summary: DriftJson = {
    schemaVersion: 1,
    kind: 'drift',
    runId: newRunId(),
    reference: { path: options.referencePath, rows: reference.rows },
    current: { path: options.currentPath, rows: current.rows },
    ...compareTables(reference, current, options),
  };
  await saveFinishedRun(store, {
    id: summary.runId,
    kind: 'drift',
    createdAt,
    status: 'completed',
    config: options,
    target: {
      kind: 'file',
      name: basename(options.currentPath),
      url: options.currentPath,
      model: null,
      streaming: false,
    },
    summary,
  });
  return summary;
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CompareJson } from '../../eval/compare.js';
import type { RunRecord } from '../../store/run-record.js';
import type { Store } from '../../store/store.js';
import { renderReport } from './render-report.js';

/** Writes the runs' report to `DIR/report.html` (creating DIR) and returns the file's absolute path. */
export function writeReport(
  dir: string,
  records: readonly RunRecord[],
  store: Store,
  compare: CompareJson | null = null,
): string {
  mkdirSync(dir, { recursive: true });
  const path = resolve(join(dir, 'report.html'));
  writeFileSync(path, renderReport(records, store, compare));
  return path;
}

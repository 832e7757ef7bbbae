import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ReportComparison } from './report-comparison.js';
import { renderReport } from './render-report.js';
import type { ReportedRun } from './reported-run.js';

/** Writes the runs' report to `DIR/report.html` (creating DIR) and returns the file's absolute path. */
export function writeReport(
  dir: string,
  runs: readonly ReportedRun[],
  compare: ReportComparison | null = null,
): string {
  mkdirSync(dir, { recursive: true });
  const path = resolve(join(dir, 'report.html'));
  writeFileSync(path, renderReport(runs, compare));
  return path;
}

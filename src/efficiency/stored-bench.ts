import type { RunRecordOf, StoredRun } from '../store/run-record.js';
import { runOfKind, summaryGuard } from '../store/stored-summary.js';
import type { BenchJson } from './bench-json.js';

export type BenchRunRecord = RunRecordOf<'bench', BenchJson>;

export const isBenchJson = summaryGuard<BenchJson>('bench');

/** The stored run as a bench run; null when it is another kind. */
export function benchRunOf(stored: StoredRun): BenchRunRecord | null {
  return runOfKind(stored, 'bench', isBenchJson);
}

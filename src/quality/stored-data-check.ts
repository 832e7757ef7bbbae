import type { RunRecordOf, StoredRun } from '../store/run-record.js';
import { runOfKind, summaryGuard } from '../store/stored-summary.js';
import type { DataCheckJson } from './run-data-check.js';

export type DataCheckRunRecord = RunRecordOf<'data-check', DataCheckJson>;

export const isDataCheckJson = summaryGuard<DataCheckJson>('data-check');

/** The stored run as a data check; null when it is another kind. */
export function dataCheckRunOf(stored: StoredRun): DataCheckRunRecord | null {
  return runOfKind(stored, 'data-check', isDataCheckJson);
}

import type { RunRecordOf, StoredRun } from '../store/run-record.js';
import { runOfKind, summaryGuard } from '../store/stored-summary.js';
import type { DriftJson } from './run-drift.js';

export type DriftRunRecord = RunRecordOf<'drift', DriftJson>;

export const isDriftJson = summaryGuard<DriftJson>('drift');

/** The stored run as a drift run; null when it is another kind. */
export function driftRunOf(stored: StoredRun): DriftRunRecord | null {
  return runOfKind(stored, 'drift', isDriftJson);
}

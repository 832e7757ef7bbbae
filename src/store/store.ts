import type { CaseRow, RunListing, StoredRun } from './run-record.js';

/** Where runs are kept. SQLite by default; every implementation passes the same contract tests. */
export interface Store {
  /** Inserts or replaces the run with this id. */
  saveRun(record: StoredRun): void;
  /**
   * The run with this id, or the only run whose id starts with it; null if none. Its summary is read as its kind's
   * type by that kind's reader (e.g. `evalRunOf`).
   */
  getRun(idOrPrefix: string): StoredRun | null;
  /** Newest first. */
  listRuns(options: { limit: number; kind?: string }): RunListing[];
  /**
   * Adds case results to a run in one transaction. A (case, repeat) already saved is kept and the new one ignored,
   * so a resumed run never scores a case twice; returns how many were added.
   */
  saveCases(runId: string, rows: readonly CaseRow[]): number;
  /** The run's case results in the order they were saved. */
  listCases(runId: string): CaseRow[];
  /** A cached response by key (a hash of target, request and repeat), or null. */
  getCached(key: string): unknown;
  putCached(key: string, value: unknown): void;
  close(): void;
}

import type { CaseRow, RunListing, StoredRun } from './run-record.js';

/**
 * Where runs are kept: SQLite by default, or a PostgreSQL server a team shares; every implementation passes the same
 * contract tests. Every call is asynchronous, so a store across a network never holds up the measurements in flight.
 */
export interface Store {
  /** Inserts or replaces the run with this id. */
  saveRun(record: StoredRun): Promise<void>;
  /**
   * The run with this id, or the only run whose id starts with it; null if none. Its summary is read as its kind's
   * type by that kind's reader (e.g. `evalRunOf`).
   */
  getRun(idOrPrefix: string): Promise<StoredRun | null>;
  /** Newest first. */
  listRuns(options: { limit: number; kind?: string }): Promise<RunListing[]>;
  /**
   * Adds case results to a run in one transaction. A (case, repeat) already saved is kept and the new one ignored,
   * so a resumed run never scores a case twice; returns how many were added.
   */
  saveCases(runId: string, rows: readonly CaseRow[]): Promise<number>;
  /** The run's case results in the order they were saved. */
  listCases(runId: string): Promise<CaseRow[]>;
  /** A cached response by key (a hash of target, request and repeat), or null. */
  getCached(key: string): Promise<unknown>;
  putCached(key: string, value: unknown): Promise<void>;
  close(): Promise<void>;
}

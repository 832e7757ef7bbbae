import type { RunListing, RunRecord } from './run-record.js';

/** Where runs are kept. SQLite by default; every implementation passes the same contract tests. */
export interface Store {
  /** Inserts or replaces the run with this id. */
  saveRun(record: RunRecord): void;
  /** The run with this id, or the only run whose id starts with it; null if none. */
  getRun(idOrPrefix: string): RunRecord | null;
  /** Newest first. */
  listRuns(options: { limit: number; kind?: string }): RunListing[];
  close(): void;
}

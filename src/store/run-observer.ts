import type { RunRecordOf } from './run-record.js';
import type { Store } from './store.js';

/** What is known of a run's work when it starts. */
export interface RunStartInfo {
  /** Requests the run will send, when known (an eval's remaining cases); null when the run decides as it goes. */
  requests: number | null;
}

/**
 * Something that follows a run: the store that keeps it, the console's progress line, a live export. A run calls
 * every observer it was given, in order, at each step of its lifecycle (waiting for one that returns a promise before
 * the next); each method is optional.
 */
export interface RunObserver<K extends string, S, P> {
  /** The run is recorded as running (or running again, resumed). */
  started?(record: RunRecordOf<K, S>, info: RunStartInfo): void | Promise<void>;
  /** A snapshot while it runs: an eval's counts, a load test's live recorder. */
  progress?(snapshot: P): void;
  /** The run's summary changed before it ended (a checkpoint), or after (a summary extended). */
  updated?(record: RunRecordOf<K, S>): void | Promise<void>;
  /** The run ended; its record is final. */
  finished?(record: RunRecordOf<K, S>): void | Promise<void>;
}

/** The observer that keeps a run in the store at each step. */
export function storeWriter<K extends string, S, P>(store: Store): RunObserver<K, S, P> {
  return {
    started: (record) => store.saveRun(record),
    updated: (record) => store.saveRun(record),
    finished: (record) => store.saveRun(record),
  };
}

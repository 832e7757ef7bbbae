/** Stored runs, read as their kinds: `import { … } from 'yardstick/store'`. */
export { SqliteStore } from '../store/sqlite.js';
export { PostgresStore } from '../store/postgres.js';
export { openStore } from '../store/open-store.js';
export type { Store } from '../store/store.js';
export type { RunRecordOf, StoredRun, RunStatus, RunListing, CaseRow } from '../store/run-record.js';
export { RunLifecycle, saveFinishedRun, type RunStart } from '../store/run-lifecycle.js';
export { storeWriter, type RunObserver, type RunStartInfo } from '../store/run-observer.js';
export { benchEvents, evalEvents, jsonLinesFile, type EventSink } from '../report/event-stream.js';
export { readRun, typedRun, type RunRecord } from '../run-kinds/run-record.js';
export { benchRunOf, type BenchRunRecord } from '../efficiency/stored-bench.js';
export { evalRunOf, type EvalRunRecord } from '../eval/stored-eval.js';
export { driftRunOf, type DriftRunRecord } from '../drift/stored-drift.js';
export { dataCheckRunOf, type DataCheckRunRecord } from '../quality/stored-data-check.js';
export {
  baselineRunOf,
  metricsRunOf,
  profileRunOf,
  type BaselineRunRecord,
  type MetricsRunRecord,
  type ProfileRunRecord,
} from '../runs/stored-runs.js';
export type { Environment } from '../core/environment.js';

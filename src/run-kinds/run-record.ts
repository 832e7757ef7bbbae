import { driftRunOf, type DriftRunRecord } from '../drift/stored-drift.js';
import { benchRepeatsRunOf, type BenchRepeatsRecord } from '../efficiency/bench-repeats.js';
import { benchRunOf, type BenchRunRecord } from '../efficiency/stored-bench.js';
import { evalRunOf, type EvalRunRecord } from '../eval/stored-eval.js';
import { dataCheckRunOf, type DataCheckRunRecord } from '../quality/stored-data-check.js';
import {
  baselineRunOf,
  jobProfileRunOf,
  metricsRunOf,
  profileRunOf,
  scaleRunOf,
  tuneRunOf,
  ratingRunOf,
  type BaselineRunRecord,
  type JobProfileRunRecord,
  type MetricsRunRecord,
  type ProfileRunRecord,
  type ScaleRunRecord,
  type TuneRunRecord,
  type RatingRunRecord,
} from '../runs/stored-runs.js';
import { proxyRunOf, type ProxyRunRecord } from '../proxy/proxy-summary.js';
import type { StoredRun } from '../store/run-record.js';
import type { Store } from '../store/store.js';

/** A stored run read as its kind: narrow on `kind` to get that kind's typed summary. */
export type RunRecord =
  | BenchRunRecord
  | BenchRepeatsRecord
  | EvalRunRecord
  | MetricsRunRecord
  | DriftRunRecord
  | DataCheckRunRecord
  | BaselineRunRecord
  | ProfileRunRecord
  | ProxyRunRecord
  | JobProfileRunRecord
  | ScaleRunRecord
  | TuneRunRecord
  | RatingRunRecord;

/** The stored run as its kind's typed record; null for a kind this yardstick does not know or a summary it cannot read. */
export function typedRun(stored: StoredRun): RunRecord | null {
  return (
    benchRunOf(stored) ??
    benchRepeatsRunOf(stored) ??
    evalRunOf(stored) ??
    metricsRunOf(stored) ??
    driftRunOf(stored) ??
    dataCheckRunOf(stored) ??
    baselineRunOf(stored) ??
    profileRunOf(stored) ??
    proxyRunOf(stored) ??
    jobProfileRunOf(stored) ??
    scaleRunOf(stored) ??
    tuneRunOf(stored) ??
    ratingRunOf(stored)
  );
}

/** The run with this id (or unique prefix) read as its kind; null when there is none or its kind is unknown. */
export async function readRun(store: Store, idOrPrefix: string): Promise<RunRecord | null> {
  const stored = await store.getRun(idOrPrefix);
  return stored === null ? null : typedRun(stored);
}

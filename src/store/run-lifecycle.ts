import { currentEnvironment } from '../core/environment.js';
import type { ResourceSample, TargetDescription } from '../core/types.js';
import type { RunRecordOf, RunStatus } from './run-record.js';
import { newRunId } from './run-id.js';
import type { Store } from './store.js';

/** What a run is before it has results: its kind, its validated config (secrets already removed) and target. */
export interface RunStart<K extends string> {
  kind: K;
  config: unknown;
  target: TargetDescription;
  /** A run id chosen before the run starts; a new one by default. */
  id?: string;
  /** When the run began, if before this call (ISO 8601); now by default. */
  createdAt?: string;
}

function newRecord<K extends string, S>(start: RunStart<K>): RunRecordOf<K, S> {
  return {
    schemaVersion: 1,
    id: start.id ?? newRunId(),
    kind: start.kind,
    status: 'running',
    createdAt: start.createdAt ?? new Date().toISOString(),
    endedAt: null,
    config: start.config,
    environment: currentEnvironment(),
    target: start.target,
    summary: null,
    resources: [],
  };
}

/**
 * A run from its start to its end, kept in the store at each step: `running` when it starts (or resumes), its
 * summary when it has one, and its final status, end time and resource samples when it ends. Without a store the
 * record is only kept in memory.
 */
export class RunLifecycle<K extends string, S> {
  private constructor(
    private readonly store: Store | null,
    readonly record: RunRecordOf<K, S>,
  ) {
    store?.saveRun(record);
  }

  /** Starts a new run and stores it as running. */
  static start<K extends string, S>(store: Store | null, start: RunStart<K>): RunLifecycle<K, S> {
    return new RunLifecycle<K, S>(store, newRecord<K, S>(start));
  }

  /** Continues a stored run: it is running again until it ends. */
  static resume<K extends string, S>(store: Store, record: RunRecordOf<K, S>): RunLifecycle<K, S> {
    return new RunLifecycle<K, S>(store, { ...record, status: 'running', endedAt: null });
  }

  get id(): string {
    return this.record.id;
  }

  /** Stores a summary without ending the run (a checkpoint), or replaces the summary of a run that ended. */
  update(summary: S): void {
    this.record.summary = summary;
    this.store?.saveRun(this.record);
  }

  /** Ends the run with this status (and summary, when it has one) and stores it. */
  finish(status: RunStatus, summary: S | null, resources?: ResourceSample[]): RunRecordOf<K, S> {
    this.record.status = status;
    this.record.endedAt = new Date().toISOString();
    this.record.summary = summary;
    if (resources !== undefined) this.record.resources = resources;
    this.store?.saveRun(this.record);
    return this.record;
  }

  /** Ends the run as failed, keeping whatever summary it had. */
  fail(resources?: ResourceSample[]): RunRecordOf<K, S> {
    return this.finish('failed', this.record.summary, resources);
  }
}

/** Stores a run that was done in one step (a metrics file, a drift or data check): started, then ended at once. */
export function saveFinishedRun<K extends string, S>(
  store: Store | null,
  start: RunStart<K> & { status: RunStatus; summary: S },
): RunRecordOf<K, S> {
  const record = { ...newRecord<K, S>(start), status: start.status, summary: start.summary };
  record.endedAt = new Date().toISOString();
  store?.saveRun(record);
  return record;
}

import { currentEnvironment } from '../core/environment.js';
import type { ResourceSample, TargetDescription } from '../core/types.js';
import { storeWriter, type RunObserver, type RunStartInfo } from './run-observer.js';
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
 * A run from its start to its end, told to its observers at each step: running when it starts (or resumes),
 * snapshots while it runs, its summary when it has one, and its final status, end time and resource samples when
 * it ends. The store, when given, is the first observer: it keeps the record at each step.
 */
export class RunLifecycle<K extends string, S, P = never> {
  private readonly observers: readonly RunObserver<K, S, P>[];

  private constructor(
    store: Store | null,
    readonly record: RunRecordOf<K, S>,
    observers: readonly RunObserver<K, S, P>[],
    info: RunStartInfo,
  ) {
    this.observers = store === null ? observers : [storeWriter<K, S, P>(store), ...observers];
    for (const o of this.observers) o.started?.(record, info);
  }

  /** Starts a new run and tells its observers (the store records it as running). */
  static start<K extends string, S, P = never>(
    store: Store | null,
    start: RunStart<K>,
    observers: readonly RunObserver<K, S, P>[] = [],
    info: RunStartInfo = { requests: null },
  ): RunLifecycle<K, S, P> {
    return new RunLifecycle<K, S, P>(store, newRecord<K, S>(start), observers, info);
  }

  /** Continues a stored run: it is running again until it ends. */
  static resume<K extends string, S, P = never>(
    store: Store,
    record: RunRecordOf<K, S>,
    observers: readonly RunObserver<K, S, P>[] = [],
    info: RunStartInfo = { requests: null },
  ): RunLifecycle<K, S, P> {
    return new RunLifecycle<K, S, P>(store, { ...record, status: 'running', endedAt: null }, observers, info);
  }

  get id(): string {
    return this.record.id;
  }

  /** A snapshot of the run's progress, for observers that follow it live. */
  progress(snapshot: P): void {
    for (const o of this.observers) o.progress?.(snapshot);
  }

  /** Replaces the summary without ending the run (a checkpoint), or replaces the summary of a run that ended. */
  update(summary: S): void {
    this.record.summary = summary;
    for (const o of this.observers) o.updated?.(this.record);
  }

  /** Ends the run with this status (and summary, when it has one). */
  finish(status: RunStatus, summary: S | null, resources?: ResourceSample[]): RunRecordOf<K, S> {
    this.record.status = status;
    this.record.endedAt = new Date().toISOString();
    this.record.summary = summary;
    if (resources !== undefined) this.record.resources = resources;
    for (const o of this.observers) o.finished?.(this.record);
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

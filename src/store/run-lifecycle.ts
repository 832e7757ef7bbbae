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
  ) {
    this.observers = store === null ? observers : [storeWriter<K, S, P>(store), ...observers];
  }

  /** Tells every observer in turn, waiting for each that returns a promise. */
  private async tell(step: (o: RunObserver<K, S, P>) => void | Promise<void>): Promise<void> {
    for (const o of this.observers) await step(o);
  }

  /** Starts a new run and tells its observers (the store records it as running). */
  static async start<K extends string, S, P = never>(
    store: Store | null,
    start: RunStart<K>,
    observers: readonly RunObserver<K, S, P>[] = [],
    info: RunStartInfo = { requests: null },
  ): Promise<RunLifecycle<K, S, P>> {
    const run = new RunLifecycle<K, S, P>(store, newRecord<K, S>(start), observers);
    await run.tell((o) => o.started?.(run.record, info));
    return run;
  }

  /** Continues a stored run: it is running again until it ends. */
  static async resume<K extends string, S, P = never>(
    store: Store,
    record: RunRecordOf<K, S>,
    observers: readonly RunObserver<K, S, P>[] = [],
    info: RunStartInfo = { requests: null },
  ): Promise<RunLifecycle<K, S, P>> {
    const run = new RunLifecycle<K, S, P>(store, { ...record, status: 'running', endedAt: null }, observers);
    await run.tell((o) => o.started?.(run.record, info));
    return run;
  }

  get id(): string {
    return this.record.id;
  }

  /** A snapshot of the run's progress, for observers that follow it live. */
  progress(snapshot: P): void {
    for (const o of this.observers) o.progress?.(snapshot);
  }

  /** Replaces the summary without ending the run (a checkpoint), or replaces the summary of a run that ended. */
  async update(summary: S): Promise<void> {
    this.record.summary = summary;
    await this.tell((o) => o.updated?.(this.record));
  }

  /** Ends the run with this status (and summary, when it has one); resolves once every observer has it. */
  async finish(status: RunStatus, summary: S | null, resources?: ResourceSample[]): Promise<RunRecordOf<K, S>> {
    this.record.status = status;
    this.record.endedAt = new Date().toISOString();
    this.record.summary = summary;
    if (resources !== undefined) this.record.resources = resources;
    await this.tell((o) => o.finished?.(this.record));
    return this.record;
  }

  /** Ends the run as failed, keeping whatever summary it had. */
  fail(resources?: ResourceSample[]): Promise<RunRecordOf<K, S>> {
    return this.finish('failed', this.record.summary, resources);
  }
}

/** Stores a run that was done in one step (a metrics file, a drift or data check): started, then ended at once. */
export async function saveFinishedRun<K extends string, S>(
  store: Store | null,
  start: RunStart<K> & { status: RunStatus; summary: S },
): Promise<RunRecordOf<K, S>> {
  const record = { ...newRecord<K, S>(start), status: start.status, summary: start.summary };
  record.endedAt = new Date().toISOString();
  await store?.saveRun(record);
  return record;
}

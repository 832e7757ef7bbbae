import { isJsonObject } from '../core/json-object.js';
import type { RunRecordOf, StoredRun } from './run-record.js';

/** What every stored summary carries, so a reader can tell which kind of run wrote it and in which version. */
export interface VersionedSummary {
  schemaVersion: 1;
  kind: string;
  runId: string;
}

/**
 * A check that a stored value is the summary a run of `kind` wrote: an object of schema version 1 with that kind.
 * The store refuses data from a newer schema, so the version and kind identify the summary's type.
 */
export function summaryGuard<S extends VersionedSummary>(kind: S['kind']): (value: unknown) => value is S {
  return (value: unknown): value is S =>
    isJsonObject(value) && value.schemaVersion === 1 && value.kind === kind && typeof value.runId === 'string';
}

/**
 * The stored run as a run of `kind`, or null when it is of another kind or its summary is not that kind's (or
 * belongs to another run).
 */
export function runOfKind<K extends string, S extends VersionedSummary>(
  stored: StoredRun,
  kind: K,
  isSummary: (value: unknown) => value is S,
): RunRecordOf<K, S> | null {
  if (stored.kind !== kind) return null;
  const raw = stored.summary;
  const summary = raw === null ? null : isSummary(raw) && raw.runId === stored.id ? raw : undefined;
  if (summary === undefined) return null;
  return { ...stored, kind, summary };
}

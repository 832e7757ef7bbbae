import { isJsonObject } from '../core/json-object.js';
import { usageError } from '../core/errors.js';
import { RUN_STATUSES, type RunStatus, type StoredRun } from './run-record.js';

export function isRunStatus(value: unknown): value is RunStatus {
  return RUN_STATUSES.some((status) => status === value);
}

/** The envelope every stored run has; its config, environment and summary are whatever the run wrote. */
export function isStoredRun(value: unknown): value is StoredRun {
  return (
    isJsonObject(value) &&
    value.schemaVersion === 1 &&
    typeof value.id === 'string' &&
    typeof value.kind === 'string' &&
    isRunStatus(value.status) &&
    typeof value.createdAt === 'string' &&
    (value.endedAt === null || typeof value.endedAt === 'string') &&
    isJsonObject(value.environment) &&
    isJsonObject(value.target) &&
    typeof value.target.name === 'string' &&
    'summary' in value &&
    Array.isArray(value.resources)
  );
}

function damaged(id: string, what: string): Error {
  return usageError(
    'STORE_DAMAGED',
    `the stored run ${id} ${what}`,
    'the store was changed by something other than yardstick; export what you need and start a new store with --store',
  );
}

/** A run read back from its stored JSON; a record that is not a run record is refused, never guessed at. */
export function parseStoredRun(json: string, id: string): StoredRun {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw damaged(id, 'is not valid JSON');
  }
  if (!isStoredRun(value)) throw damaged(id, 'is not a version 1 run record');
  return value;
}

/** A status column read back; an unknown one is refused. */
export function storedStatus(value: string, id: string): RunStatus {
  if (!isRunStatus(value)) throw damaged(id, `has an unknown status '${value}'`);
  return value;
}

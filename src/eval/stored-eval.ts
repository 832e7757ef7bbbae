import { usageError } from '../core/errors.js';
import type { RunRecordOf, StoredRun } from '../store/run-record.js';
import { runOfKind, summaryGuard } from '../store/stored-summary.js';
import type { Store } from '../store/store.js';
import type { CaseResult } from './case-result.js';
import type { RunCases } from './compare.js';
import type { EvalJson } from './eval-summary.js';
import type { EvalRunSettings } from './runner.js';

export type EvalRunRecord = RunRecordOf<'eval', EvalJson>;

export const isEvalJson = summaryGuard<EvalJson>('eval');

/** The stored run as an eval run (benchmarks included); null when it is another kind. */
export function evalRunOf(stored: StoredRun): EvalRunRecord | null {
  return runOfKind(stored, 'eval', isEvalJson);
}

/** A stored case as the eval runner wrote it: its identity, status and scores are where they should be. */
function isCaseResult(value: unknown): value is CaseResult {
  if (typeof value !== 'object' || value === null) return false;
  const row: Record<string, unknown> = { ...value };
  return (
    typeof row.caseId === 'string' &&
    typeof row.repeat === 'number' &&
    (row.status === 'ok' || row.status === 'error') &&
    typeof row.scores === 'object' &&
    row.scores !== null
  );
}

/** An eval run's stored case results in the order they were saved; a row that is not a case result is refused. */
export async function readCaseResults(store: Store, runId: string): Promise<CaseResult[]> {
  return (await store.listCases(runId)).map((row) => {
    if (isCaseResult(row.result)) return row.result;
    throw usageError(
      'STORE_DAMAGED',
      `case ${row.caseId} (repeat ${row.repeat}) of run ${runId} is not a case result`,
      'the store was changed by something other than yardstick; run the eval again into a new store',
    );
  });
}

/** The settings an eval run was started with, as its record keeps them for `--resume`. */
export function isEvalRunSettings(value: unknown): value is EvalRunSettings {
  if (typeof value !== 'object' || value === null) return false;
  const v: Record<string, unknown> = { ...value };
  return (
    typeof v.suite === 'object' &&
    v.suite !== null &&
    typeof v.baseDir === 'string' &&
    typeof v.targetIndex === 'number' &&
    typeof v.sampling === 'object' &&
    v.sampling !== null &&
    typeof v.repeats === 'number' &&
    typeof v.concurrency === 'number' &&
    typeof v.cache === 'boolean'
  );
}

/**
 * A stored eval run and its cases, as `compare` takes them; `use` names the command in the error when the run is of
 * another kind.
 */
export async function storedRunCases(store: Store, stored: StoredRun, use: string): Promise<RunCases> {
  const record = evalRunOf(stored);
  if (record === null)
    throw usageError(
      'RUN_KIND',
      `${use} takes eval runs; ${stored.id} is a ${stored.kind} run`,
      'list eval runs with `yardstick runs list --kind eval`',
    );
  return {
    runId: record.id,
    target: record.target.name,
    suite: record.summary?.suite ?? '',
    results: await readCaseResults(store, record.id),
  };
}

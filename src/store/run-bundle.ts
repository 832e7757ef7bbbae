import { usageError, type Problem } from '../core/errors.js';
import { isJsonObject } from '../core/json-object.js';
import { isStoredRun } from './parse-stored-run.js';
import type { CaseRow, StoredRun } from './run-record.js';
import type { Store } from './store.js';

/** The first line of a bundle: what it is and its version. */
const HEADER = { yardstick: 'runs', version: 1 };

/**
 * Runs with their cases as JSON Lines, to move them between stores (SQLite and PostgreSQL alike): a header line, then
 * each run's record followed by one line per stored case.
 */
export async function* runBundleLines(store: Store, ids: readonly string[]): AsyncGenerator<string> {
  yield `${JSON.stringify(HEADER)}\n`;
  for (const id of ids) {
    const run = await store.getRun(id);
    if (run === null)
      throw usageError('RUN_NOT_FOUND', `no run with id '${id}' in the store`, 'list runs with `yardstick runs list`');
    yield `${JSON.stringify({ run })}\n`;
    for (const row of await store.listCases(run.id))
      yield `${JSON.stringify({ case: { runId: run.id, caseId: row.caseId, repeat: row.repeat, result: row.result } })}\n`;
  }
}

/** What an import did. */
export interface BundleImport {
  runs: number;
  casesAdded: number;
  casesKept: number;
}

/**
 * Adds a bundle's runs and cases to a store: every bad line is reported with its file:line and nothing is written; a
 * run already in the store is replaced by the bundle's record, and a case already stored is kept (so importing the same
 * bundle twice changes nothing).
 */
export async function importRunBundle(store: Store, text: string, path: string): Promise<BundleImport> {
  const problems: Problem[] = [];
  const runs: StoredRun[] = [];
  const cases = new Map<string, CaseRow[]>();
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const where = `${path}:${index + 1}`;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push({ where, field: 'line', message: 'is not JSON', hint: 'keep the file as `runs export` wrote it' });
      return;
    }
    if (index === 0) {
      if (!isJsonObject(value) || value.yardstick !== HEADER.yardstick || value.version !== HEADER.version)
        problems.push({
          where,
          field: 'header',
          message: 'is not the header of a runs bundle (version 1)',
          hint: 'export runs with `yardstick runs export ID… --format runs`',
        });
      return;
    }
    if (isJsonObject(value) && 'run' in value) {
      if (isStoredRun(value.run)) {
        runs.push(value.run);
        // Its cases follow it; a run listed twice keeps every case of both listings.
        if (!cases.has(value.run.id)) cases.set(value.run.id, []);
      } else
        problems.push({
          where,
          field: 'run',
          message: 'is not a version 1 run record',
          hint: 'keep the exported line',
        });
      return;
    }
    const row = isJsonObject(value) ? value.case : undefined;
    if (
      isJsonObject(row) &&
      typeof row.runId === 'string' &&
      typeof row.caseId === 'string' &&
      typeof row.repeat === 'number' &&
      Number.isInteger(row.repeat) &&
      row.repeat >= 0 &&
      'result' in row
    ) {
      const rowsOfRun = cases.get(row.runId);
      if (rowsOfRun === undefined)
        problems.push({
          where,
          field: 'case.runId',
          message: `names run ${row.runId}, which no earlier line of the bundle holds`,
          hint: 'keep every run line before its cases',
        });
      else rowsOfRun.push({ caseId: row.caseId, repeat: row.repeat, result: row.result });
      return;
    }
    problems.push({
      where,
      field: 'line',
      message: 'is neither a run nor a case',
      hint: 'keep the file as `runs export` wrote it',
    });
  });
  if (problems.length > 0)
    throw usageError(
      'BUNDLE_INVALID',
      `${path} has ${problems.length} bad line${problems.length === 1 ? '' : 's'}; nothing was imported`,
      'fix each one listed above and import the file again',
      problems,
    );
  let casesAdded = 0;
  let casesSeen = 0;
  for (const run of runs) {
    await store.saveRun(run);
    const rows = cases.get(run.id) ?? [];
    casesSeen += rows.length;
    if (rows.length > 0) casesAdded += await store.saveCases(run.id, rows);
  }
  return { runs: runs.length, casesAdded, casesKept: casesSeen - casesAdded };
}

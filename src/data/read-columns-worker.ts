import { parentPort, workerData } from 'node:worker_threads';
import { YardstickError, type Problem } from '../core/errors.js';
import type { ColumnState } from './column-accumulator.js';
import { readColumns } from './read-columns.js';

/** Worker entry: reads one file into columns and posts them back, the value buffers transferred. */
export type ReadColumnsReply =
  | { ok: true; path: string; rows: number; names: string[]; columns: [string, ColumnState][] }
  | {
      ok: false;
      code: string | null;
      message: string;
      hint: string | null;
      exitCode: number | null;
      problems: Problem[];
    };

const path = (workerData as { path: string }).path;
try {
  const table = await readColumns(path);
  const transfer: ArrayBuffer[] = [];
  const columns: [string, ColumnState][] = [...table.columns].map(([name, column]) => {
    const moved = column.toState();
    transfer.push(...moved.transfer);
    return [name, moved.state];
  });
  parentPort?.postMessage(
    { ok: true, path, rows: table.rows, names: table.names, columns } satisfies ReadColumnsReply,
    transfer,
  );
} catch (error) {
  const known = error instanceof YardstickError;
  parentPort?.postMessage({
    ok: false,
    code: known ? error.code : null,
    message: error instanceof Error ? error.message : String(error),
    hint: known ? (error.hint ?? null) : null,
    exitCode: known ? error.exitCode : null,
    problems: known ? error.problems : [],
  } satisfies ReadColumnsReply);
}

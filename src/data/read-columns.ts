import { createReadStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { messageOf, usageError, YardstickError, type Problem } from '../core/errors.js';
import type { ExitCodeValue } from '../core/exit-codes.js';
import { ColumnAccumulator } from './column-accumulator.js';
import type { ReadColumnsReply } from './read-columns-worker.js';
import { readDelimitedColumns } from './delimited-reader.js';
import { RowLines } from './row-lines.js';
import { readParquetRecords } from './read-parquet.js';
import { tableOfRows } from './table-of-rows.js';

/** A data file read column by column: no row objects are kept, so memory grows with the values, not the rows. */
export interface ColumnTable {
  path: string;
  rows: number;
  /** Every column the file has, in its order (also those not read, when only some were asked for). */
  names: string[];
  columns: Map<string, ColumnAccumulator>;
  /** The line each row starts on, when asked for (Parquet: the row number from 1). */
  lines: RowLines | null;
}

export interface ReadColumnsOptions {
  /** Which columns to read, by name (default: all). */
  only?: (name: string) => boolean;
  /** Lower-case words that mean "no value" (default: MISSING_WORDS). */
  missingWords?: ReadonlySet<string>;
  /** Keep each row's line (default: false). */
  withLines?: boolean;
}

async function readJsonLines(path: string, options: ReadColumnsOptions): Promise<ColumnTable> {
  const columns = new Map<string, ColumnAccumulator>();
  const names = new Set<string>();
  const lines = options.withLines === true ? new RowLines() : null;
  let rows = 0;
  let line = 0;
  const problems: Problem[] = [];
  try {
    for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
      line += 1;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        if (problems.length < 20)
          problems.push({ where: `${path}:${line}`, field: '', message: `not a JSON object: ${messageOf(error)}` });
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        if (problems.length < 20) problems.push({ where: `${path}:${line}`, field: '', message: 'not a JSON object' });
        continue;
      }
      const fields = value as Record<string, unknown>;
      for (const key of Object.keys(fields)) {
        if (names.has(key)) continue;
        names.add(key);
        if (options.only !== undefined && !options.only(key)) continue;
        const accumulator = new ColumnAccumulator(options.missingWords);
        for (let i = 0; i < rows; i += 1) accumulator.add(undefined);
        columns.set(key, accumulator);
      }
      for (const [key, accumulator] of columns) accumulator.add(fields[key]);
      lines?.add(line);
      rows += 1;
    }
  } catch (error) {
    if (error instanceof YardstickError) throw error;
    throw usageError('DATA_UNREADABLE', `cannot read ${path}: ${messageOf(error)}`, 'check the path and permissions');
  }
  if (problems.length > 0)
    throw usageError('DATA_INVALID', `${path} has malformed lines`, 'each line must be one JSON object', problems);
  return { path, rows, names: [...names], columns, lines };
}

async function readParquet(path: string, options: ReadColumnsOptions): Promise<ColumnTable> {
  const records = await readParquetRecords(path);
  const names = Object.keys(records[0]?.fields ?? {});
  const table = tableOfRows(
    path,
    records.map((record) => record.fields),
    names.filter((name) => options.only === undefined || options.only(name)),
    options.missingWords,
  );
  let lines: RowLines | null = null;
  if (options.withLines === true) {
    lines = new RowLines();
    for (const record of records) lines.add(record.line);
  }
  return { ...table, names, lines };
}

async function readDelimited(path: string, delimiter: string, options: ReadColumnsOptions): Promise<ColumnTable> {
  const read = await readDelimitedColumns(path, delimiter, {
    only: options.only ?? null,
    missingWords: options.missingWords,
    withLines: options.withLines === true,
  });
  return { path, ...read };
}

/** Reads a CSV, TSV, JSONL or Parquet file into columns (CSV, TSV and JSONL streamed); an empty file is an error. */
export async function readColumns(path: string, options: ReadColumnsOptions = {}): Promise<ColumnTable> {
  const extension = extname(path).toLowerCase();
  let table: ColumnTable;
  if (extension === '.csv') table = await readDelimited(path, ',', options);
  else if (extension === '.tsv') table = await readDelimited(path, '\t', options);
  else if (extension === '.jsonl' || extension === '.ndjson') table = await readJsonLines(path, options);
  else if (extension === '.parquet') table = await readParquet(path, options);
  else
    throw usageError('DATA_FORMAT', `cannot tell the format of ${path}`, 'use a .csv, .tsv, .jsonl or .parquet file');
  if (table.rows === 0) throw usageError('DATA_EMPTY', `${path} has no records`, 'add at least one row');
  return table;
}

const WORKER_ENTRY = new URL('./read-columns-worker.js', import.meta.url);

function readInWorker(path: string): Promise<ColumnTable> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_ENTRY, { workerData: { path } });
    worker.once('message', (reply: ReadColumnsReply) => {
      void worker.terminate();
      if (reply.ok)
        resolve({
          path: reply.path,
          rows: reply.rows,
          names: reply.names,
          lines: null,
          columns: new Map(reply.columns.map(([name, state]) => [name, ColumnAccumulator.fromState(state)])),
        });
      else if (reply.code !== null && reply.exitCode !== null)
        reject(
          new YardstickError({
            code: reply.code,
            message: reply.message,
            hint: reply.hint ?? undefined,
            exitCode: reply.exitCode as ExitCodeValue,
            problems: reply.problems,
          }),
        );
      else reject(new Error(reply.message));
    });
    worker.once('error', reject);
  });
}

/**
 * Reads several files at once, each on its own worker thread (the parsing is CPU-bound), when the compiled worker
 * entry exists; from TypeScript sources (unit tests) one after another in this thread.
 */
export async function readColumnsOfEach(paths: readonly string[]): Promise<ColumnTable[]> {
  if (paths.length < 2 || !existsSync(fileURLToPath(WORKER_ENTRY))) {
    const tables: ColumnTable[] = [];
    for (const path of paths) tables.push(await readColumns(path));
    return tables;
  }
  return Promise.all(paths.map(readInWorker));
}

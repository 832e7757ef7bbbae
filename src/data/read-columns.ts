import { createReadStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';
import { messageOf, usageError, YardstickError, type Problem } from '../core/errors.js';
import type { ExitCodeValue } from '../core/exit-codes.js';
import { ColumnAccumulator } from './column-accumulator.js';
import type { ReadColumnsReply } from './read-columns-worker.js';
import { checkedHeader } from './header.js';
import { readParquetRecords } from './read-parquet.js';
import { tableOfRows } from './table-of-rows.js';

/** A data file read column by column: no row objects are kept, so memory grows with the values, not the rows. */
export interface ColumnTable {
  path: string;
  rows: number;
  columns: Map<string, ColumnAccumulator>;
}

const QUOTE = 34;
const NEWLINE = 10;
const RETURN = 13;

/**
 * A streaming CSV/TSV tokenizer (RFC 4180 quoting: fields in double quotes may hold delimiters, newlines and doubled
 * quotes; a quote inside an unquoted field is kept as a character). Fed text chunk by chunk, it calls `onRecord`
 * with each record's fields and the line it started on.
 */
export class DelimitedTokenizer {
  private record: string[] = [];
  private pending = '';
  private inQuotes = false;
  private quoted = false;
  private line = 1;
  private recordLine = 1;
  /** A closing quote ended the last chunk: a quote starting the next one makes it an escaped quote instead. */
  private maybeEscapedQuote = false;

  constructor(
    private readonly delimiter: number,
    private readonly onRecord: (fields: string[], line: number) => void,
  ) {}

  feed(text: string): void {
    let start = 0;
    const n = text.length;
    for (let i = 0; i < n; i += 1) {
      const c = text.charCodeAt(i);
      if (this.inQuotes) {
        if (c === QUOTE) {
          if (i + 1 < n && text.charCodeAt(i + 1) === QUOTE) {
            this.pending += text.slice(start, i + 1);
            i += 1;
            start = i + 1;
          } else if (i + 1 === n) {
            // A quote at the chunk's end: decided by the next chunk's first character.
            this.pending += text.slice(start, i);
            this.inQuotes = false;
            this.quoted = true;
            this.maybeEscapedQuote = true;
            start = n;
          } else {
            this.pending += text.slice(start, i);
            this.inQuotes = false;
            start = i + 1;
          }
        } else if (c === NEWLINE) this.line += 1;
        continue;
      }
      if (this.maybeEscapedQuote) {
        this.maybeEscapedQuote = false;
        if (c === QUOTE && i === 0) {
          this.pending += '"';
          this.inQuotes = true;
          start = 1;
          continue;
        }
      }
      if (c === QUOTE && start === i && this.pending === '' && !this.quoted) {
        this.inQuotes = true;
        this.quoted = true;
        start = i + 1;
      } else if (c === this.delimiter) {
        this.record.push(this.pending + text.slice(start, i));
        this.pending = '';
        this.quoted = false;
        start = i + 1;
      } else if (c === NEWLINE) {
        const field = this.pending + text.slice(start, i);
        this.record.push(field.charCodeAt(field.length - 1) === RETURN ? field.slice(0, -1) : field);
        this.pending = '';
        this.quoted = false;
        this.emit();
        this.line += 1;
        this.recordLine = this.line;
        start = i + 1;
      }
    }
    if (start < n) this.pending += text.slice(start);
  }

  private emit(): void {
    const fields = this.record;
    this.record = [];
    if (fields.length === 1 && fields[0] === '') return;
    this.onRecord(fields, this.recordLine);
  }

  end(): void {
    const pending = this.pending.endsWith('\r') ? this.pending.slice(0, -1) : this.pending;
    if (this.record.length > 0 || pending !== '' || this.quoted) {
      this.record.push(pending);
      this.pending = '';
      this.emit();
    }
  }
}

async function readDelimited(path: string, delimiter: string): Promise<ColumnTable> {
  const columns = new Map<string, ColumnAccumulator>();
  let header: string[] | null = null;
  let accumulators: ColumnAccumulator[] = [];
  let rows = 0;
  const problems: Problem[] = [];
  const tokenizer = new DelimitedTokenizer(delimiter.charCodeAt(0), (fields, line) => {
    if (header === null) {
      header = checkedHeader(
        path,
        fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f)),
      );
      accumulators = header.map((name) => {
        const accumulator = new ColumnAccumulator();
        columns.set(name, accumulator);
        return accumulator;
      });
      return;
    }
    if (fields.length !== accumulators.length) {
      if (problems.length < 20)
        problems.push({
          where: `${path}:${line}`,
          field: '',
          message: `expected ${accumulators.length} fields, got ${fields.length}`,
        });
      return;
    }
    rows += 1;
    for (let i = 0; i < fields.length; i += 1) (accumulators[i] as ColumnAccumulator).add(fields[i]);
  });
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }))
      tokenizer.feed(decoder.write(chunk as Buffer));
    tokenizer.feed(decoder.end());
    tokenizer.end();
  } catch (error) {
    if (error instanceof YardstickError) throw error;
    throw usageError('DATA_UNREADABLE', `cannot read ${path}: ${messageOf(error)}`, 'check the path and permissions');
  }
  if (problems.length > 0)
    throw usageError(
      'DATA_INVALID',
      `${path} has rows with the wrong number of fields`,
      'check the quoting and the delimiters on those lines',
      problems,
    );
  return { path, rows, columns };
}

async function readJsonLines(path: string): Promise<ColumnTable> {
  const columns = new Map<string, ColumnAccumulator>();
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
        if (columns.has(key)) continue;
        const accumulator = new ColumnAccumulator();
        for (let i = 0; i < rows; i += 1) accumulator.add(undefined);
        columns.set(key, accumulator);
      }
      for (const [key, accumulator] of columns) accumulator.add(fields[key]);
      rows += 1;
    }
  } catch (error) {
    if (error instanceof YardstickError) throw error;
    throw usageError('DATA_UNREADABLE', `cannot read ${path}: ${messageOf(error)}`, 'check the path and permissions');
  }
  if (problems.length > 0)
    throw usageError('DATA_INVALID', `${path} has malformed lines`, 'each line must be one JSON object', problems);
  return { path, rows, columns };
}

async function readParquet(path: string): Promise<ColumnTable> {
  const records = await readParquetRecords(path);
  return tableOfRows(
    path,
    records.map((record) => record.fields),
    Object.keys(records[0]?.fields ?? {}),
  );
}

/** Reads a CSV, TSV, JSONL or Parquet file into columns (CSV, TSV and JSONL streamed); an empty file is an error. */
export async function readColumns(path: string): Promise<ColumnTable> {
  const extension = extname(path).toLowerCase();
  let table: ColumnTable;
  if (extension === '.csv') table = await readDelimited(path, ',');
  else if (extension === '.tsv') table = await readDelimited(path, '\t');
  else if (extension === '.jsonl' || extension === '.ndjson') table = await readJsonLines(path);
  else if (extension === '.parquet') table = await readParquet(path);
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

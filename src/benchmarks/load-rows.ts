import { extname } from 'node:path';
import { usageError, type Problem } from '../core/errors.js';
import type { SourceRecord } from '../data/read-records.js';
import { hubFile, locateFile, type DataSource, type HubRepo } from './data-files.js';
import { readGlueTsv, readJsonOrParquet } from './readers.js';
import type { TaskDoc } from './task.js';

/** Where one split of a task lives: original-release paths (relative to the data dir) and the hub file. */
export interface SplitFiles {
  original: readonly string[];
  hub: { repo: HubRepo; path: string } | null;
  /** Field names of a headerless TSV (CoLA). */
  tsvColumns?: readonly string[];
}

export interface RowFile {
  path: string;
  origin: string;
  /** Rows as read: TSV fields are text, JSONL and Parquet keep their types. */
  records: SourceRecord[];
  /** True for Hugging Face Parquet files, whose label coding differs from the original files'. */
  parquet: boolean;
}

/** Finds and reads one split of a task, in whichever layout the data dir (or the download cache) holds. */
export async function loadRows(source: DataSource, files: SplitFiles, what: string): Promise<RowFile> {
  const file = await locateFile(
    source,
    files.original,
    files.hub === null ? null : hubFile(files.hub.repo, files.hub.path),
    what,
  );
  const extension = extname(file.path).toLowerCase();
  const records = extension === '.tsv' ? readGlueTsv(file.path, files.tsvColumns) : await readJsonOrParquet(file.path);
  return { ...file, records, parquet: extension === '.parquet' };
}

/** A document under construction, or the reason its row cannot be used. */
export type DocOrProblem = TaskDoc | { problem: string; field: string };

/** Turns rows into documents, reporting every unusable row at once with its file:line. */
export function docsFrom(
  file: RowFile,
  toDoc: (fields: Record<string, unknown>, where: string, line: number) => DocOrProblem | DocOrProblem[],
): TaskDoc[] {
  const docs: TaskDoc[] = [];
  const problems: Problem[] = [];
  for (const record of file.records) {
    const where = `${file.path}:${record.line}`;
    const made = toDoc(record.fields, where, record.line);
    for (const item of Array.isArray(made) ? made : [made]) {
      if ('problem' in item) problems.push({ where, field: item.field, message: item.problem });
      else docs.push(item);
    }
  }
  if (problems.length > 0)
    throw usageError(
      'DATA_INVALID',
      `${file.path} has ${problems.length} row${problems.length === 1 ? '' : 's'} that cannot be used`,
      "check that the file is the task's original or Hugging Face file",
      problems.slice(0, 20),
    );
  return docs;
}

/** Reads a label written as a number, a boolean or text, by a table of accepted spellings. */
export function labelIndex(value: unknown, table: Readonly<Record<string, number>>): number | null {
  const key =
    typeof value === 'boolean'
      ? String(value)
      : typeof value === 'number'
        ? String(value)
        : typeof value === 'string'
          ? value.trim().toLowerCase()
          : '';
  return table[key] ?? null;
}

export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

/** The id of a row: its `idx`/`index` field when it has one, else its line. */
export function rowId(fields: Record<string, unknown>, line: number): string {
  const id = fields.idx ?? fields.index ?? fields.id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : String(line);
}

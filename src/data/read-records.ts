import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { messageOf, usageError, YardstickError, type Problem } from '../core/errors.js';
import { checkedHeader } from './header.js';
import { readParquetRecords } from './read-parquet.js';

/** One row of a data file with the line it starts on (1-based). */
export interface SourceRecord {
  line: number;
  fields: Record<string, unknown>;
}

/** A data file's text without its byte-order mark; an unreadable file is a usage error naming it. */
export function readDataText(path: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw usageError('DATA_UNREADABLE', `cannot read ${path}: ${messageOf(error)}`, 'check the path and permissions');
  }
}

function readJsonLines(path: string, text: string): SourceRecord[] {
  const records: SourceRecord[] = [];
  const problems: Problem[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new Error('expected a JSON object');
      records.push({ line: i + 1, fields: value as Record<string, unknown> });
    } catch (error) {
      problems.push({ where: `${path}:${i + 1}`, field: '', message: `not a JSON object: ${messageOf(error)}` });
    }
  });
  if (problems.length > 0) {
    throw usageError(
      'DATA_INVALID',
      `${path} has ${problems.length} malformed line${problems.length === 1 ? '' : 's'}`,
      'each line must be one JSON object',
      problems.slice(0, 20),
    );
  }
  return records;
}

function readDelimited(path: string, text: string, delimiter: string): SourceRecord[] {
  try {
    const rows = parse<{ record: Record<string, string>; info: { lines: number } }>(text, {
      columns: (names: string[]) => checkedHeader(path, names),
      delimiter,
      skip_empty_lines: true,
      info: true,
      relax_quotes: delimiter === '\t',
    });
    return rows.map(({ record, info }) => ({ line: info.lines, fields: record }));
  } catch (error) {
    if (error instanceof YardstickError) throw error;
    const line = (error as { lines?: number }).lines;
    throw usageError(
      'DATA_INVALID',
      `${path}${line === undefined ? '' : `:${line}`}: ${messageOf(error)}`,
      'check the quoting and the number of fields on that line',
    );
  }
}

/** Reads a JSONL, CSV, TSV or Parquet file into records (Parquet rows numbered from 1 in place of lines). */
export async function loadRecords(path: string): Promise<SourceRecord[]> {
  if (extname(path).toLowerCase() === '.parquet') return readParquetRecords(path);
  return readRecords(path);
}

/** Reads a JSONL, CSV or TSV file into records with line numbers; fails with every malformed line listed. */
export function readRecords(path: string): SourceRecord[] {
  const text = readDataText(path);
  const extension = extname(path).toLowerCase();
  let records: SourceRecord[];
  if (extension === '.jsonl' || extension === '.ndjson') records = readJsonLines(path, text);
  else if (extension === '.csv') records = readDelimited(path, text, ',');
  else if (extension === '.tsv') records = readDelimited(path, text, '\t');
  else
    throw usageError(
      'DATA_FORMAT',
      `cannot tell the format of ${path}`,
      'use a .jsonl, .csv, .tsv (or, where Parquet is read, .parquet) file',
    );
  if (records.length === 0) throw usageError('DATA_EMPTY', `${path} has no records`, 'add at least one row');
  return records;
}

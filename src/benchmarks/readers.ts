import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { messageOf, usageError, type Problem } from '../core/errors.js';
import { readParquetRecords } from '../data/read-parquet.js';
import { readDataText, readRecords, type SourceRecord } from '../data/read-records.js';

/** One MMLU question as the original release stores it. */
export interface MmluRow {
  line: number;
  question: string;
  choices: [string, string, string, string];
  /** 0–3 for A–D. */
  answer: number;
}

const LETTERS = ['A', 'B', 'C', 'D'];

/**
 * Reads an original-release MMLU file: headerless CSV, `question,A,B,C,D,answer-letter`, quoted fields that may hold
 * commas and newlines. A quote inside an unquoted field is kept as a character (college_medicine_val.csv:6 ends its
 * question with a stray `"`), as Python's csv and pandas read it. Every malformed row is reported with its line.
 */
export function readMmluCsv(path: string): MmluRow[] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(readDataText(path), {
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw usageError(
      'DATA_INVALID',
      `${path}${line === undefined ? '' : `:${line}`}: ${messageOf(error)}`,
      'MMLU files are CSV: quote fields that contain commas, quotes or newlines',
    );
  }
  const problems: Problem[] = [];
  const out: MmluRow[] = [];
  for (const { record, info } of rows) {
    const where = `${path}:${info.lines}`;
    if (record.length !== 6) {
      problems.push({
        where,
        field: '',
        message: `expected 6 fields (question, A, B, C, D, answer), got ${record.length}`,
      });
      continue;
    }
    const answer = LETTERS.indexOf((record[5] ?? '').trim());
    if (answer < 0) {
      problems.push({ where, field: 'answer', message: `answer '${record[5] ?? ''}' is not one of A, B, C, D` });
      continue;
    }
    out.push({
      line: info.lines,
      question: record[0] ?? '',
      choices: [record[1] ?? '', record[2] ?? '', record[3] ?? '', record[4] ?? ''],
      answer,
    });
  }
  if (problems.length > 0)
    throw usageError(
      'DATA_INVALID',
      `${path} has ${problems.length} malformed MMLU row${problems.length === 1 ? '' : 's'}`,
      'each row is question,A,B,C,D,answer-letter',
      problems.slice(0, 20),
    );
  return out;
}

/**
 * Reads a GLUE TSV: lines split on `\n`, fields on tabs only — never CSV quoting, since several files hold unbalanced
 * quotes. A leading BOM is dropped (MRPC). `columns` names the fields of a headerless file (CoLA); otherwise the
 * first line is the header. Rows with the wrong number of fields are reported with their line.
 */
export function readGlueTsv(path: string, columns?: readonly string[]): SourceRecord[] {
  const lines = readDataText(path).split('\n');
  const header = columns ?? (lines[0] ?? '').replace(/\r$/, '').split('\t');
  const first = columns === undefined ? 1 : 0;
  const records: SourceRecord[] = [];
  const problems: Problem[] = [];
  for (let i = first; i < lines.length; i += 1) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line === '') continue;
    const fields = line.split('\t');
    if (fields.length !== header.length) {
      problems.push({
        where: `${path}:${i + 1}`,
        field: '',
        message: `expected ${header.length} tab-separated fields, got ${fields.length}`,
      });
      continue;
    }
    records.push({ line: i + 1, fields: Object.fromEntries(header.map((name, k) => [name, fields[k] ?? ''])) });
  }
  if (problems.length > 0)
    throw usageError(
      'DATA_INVALID',
      `${path} has ${problems.length} malformed row${problems.length === 1 ? '' : 's'}`,
      'GLUE files are tab-separated with one row per line',
      problems.slice(0, 20),
    );
  if (records.length === 0)
    throw usageError('DATA_EMPTY', `${path} has no records`, 'check that this is the right file');
  return records;
}

/** Reads SuperGLUE JSONL or a Hugging Face Parquet file (by extension), rows numbered by line or row. */
export async function readJsonOrParquet(path: string): Promise<SourceRecord[]> {
  return extname(path).toLowerCase() === '.parquet' ? readParquetRecords(path) : readRecords(path);
}

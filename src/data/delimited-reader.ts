import { createReadStream } from 'node:fs';
import { messageOf, usageError, YardstickError, type Problem } from '../core/errors.js';
import { ColumnAccumulator, POWERS_OF_TEN } from './column-accumulator.js';
import { checkedHeader } from './header.js';
import { RowLines } from './row-lines.js';

/** What a delimited file is read into: one accumulator per wanted column, and every column name of the header. */
export interface DelimitedColumns {
  names: string[];
  rows: number;
  columns: Map<string, ColumnAccumulator>;
  lines: RowLines | null;
}

export interface DelimitedOptions {
  /** Columns to keep (null: every column); the others are skipped without decoding their bytes. */
  only: ((name: string) => boolean) | null;
  /** Lower-case words that mean "no value" (after trimming). */
  missingWords?: ReadonlySet<string>;
  /** Keep each row's starting line (for messages that name the line of a bad value). */
  withLines: boolean;
  /** Bytes read at a time (default 1 MiB). */
  chunkBytes?: number;
}

const QUOTE = 34;
const NEWLINE = 10;
const RETURN = 13;
const MINUS = 45;
const POINT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * A plain decimal in `bytes[start, end)` (optional minus, digits, optional fraction, at most 15 significant digits),
 * parsed straight from the bytes to the same double Number() gives (Clinger's fast path); NaN for anything else.
 */
export function plainDecimalAt(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = bytes[i] === MINUS;
  if (negative) i += 1;
  let mantissa = 0;
  let digits = 0;
  let seenDigit = false;
  let decimals = -1;
  for (; i < end; i += 1) {
    const c = bytes[i] as number;
    if (c >= ZERO && c <= NINE) {
      seenDigit = true;
      mantissa = mantissa * 10 + (c - ZERO);
      if (mantissa !== 0 || digits > 0) digits += 1;
      if (decimals >= 0) decimals += 1;
    } else if (c === POINT && decimals < 0) decimals = 0;
    else return Number.NaN;
  }
  if (!seenDigit || digits > 15 || decimals > 22) return Number.NaN;
  const value = decimals > 0 ? mantissa / (POWERS_OF_TEN[decimals] as number) : mantissa;
  return negative ? -value : value;
}

/** A quoted field's text: the opening quote dropped, doubled quotes made single, text after the closing quote kept. */
function unquote(raw: string): string {
  let out = '';
  let i = 1;
  for (; i < raw.length; i += 1) {
    const c = raw.charCodeAt(i);
    if (c !== QUOTE) continue;
    if (raw.charCodeAt(i + 1) === QUOTE) {
      out += raw.slice(1, i + 1);
      raw = `"${raw.slice(i + 2)}`;
      i = 0;
      continue;
    }
    return out + raw.slice(1, i) + raw.slice(i + 1);
  }
  return out + raw.slice(1);
}

/**
 * Reads a CSV or TSV file (RFC 4180 quoting: quoted fields may hold delimiters, newlines and doubled quotes; a quote
 * inside an unquoted field is a character) straight from its bytes into column accumulators: plain decimals are
 * parsed from the bytes, other values decoded once, and columns not asked for are never decoded. Records are taken
 * only once their newline has arrived, so a record split between two chunks is read whole from the next one.
 */
export async function readDelimitedColumns(
  path: string,
  delimiter: string,
  options: DelimitedOptions,
): Promise<DelimitedColumns> {
  const separator = delimiter.charCodeAt(0);
  let names: string[] | null = null;
  let sinks: (ColumnAccumulator | null)[] = [];
  const columns = new Map<string, ColumnAccumulator>();
  const lines = options.withLines ? new RowLines() : null;
  let rows = 0;
  const problems: Problem[] = [];
  let starts = new Int32Array(64);
  let ends = new Int32Array(64);
  let quoted = new Uint8Array(64);
  let line = 1;

  const takeHeader = (bytes: Buffer, count: number): void => {
    const header: string[] = [];
    for (let f = 0; f < count; f += 1) {
      const raw = bytes.toString('utf8', starts[f], ends[f]);
      header.push(quoted[f] === 1 ? unquote(raw) : raw);
    }
    if (header[0] !== undefined) header[0] = header[0].replace(/^\uFEFF/, '');
    names = checkedHeader(path, header);
    sinks = names.map((name) => {
      if (options.only !== null && !options.only(name)) return null;
      const accumulator = new ColumnAccumulator(options.missingWords);
      columns.set(name, accumulator);
      return accumulator;
    });
  };

  const takeRecord = (bytes: Buffer, count: number, recordLine: number): void => {
    if (count === 1 && ends[0] === starts[0]) return;
    if (names === null) {
      takeHeader(bytes, count);
      return;
    }
    if (count !== sinks.length) {
      if (problems.length < 20)
        problems.push({
          where: `${path}:${recordLine}`,
          field: '',
          message: `expected ${sinks.length} fields, got ${count}`,
        });
      return;
    }
    rows += 1;
    lines?.add(recordLine);
    for (let f = 0; f < count; f += 1) {
      const sink = sinks[f];
      if (sink === null || sink === undefined) continue;
      const start = starts[f] as number;
      const end = ends[f] as number;
      if (quoted[f] === 1) {
        sink.add(unquote(bytes.toString('utf8', start, end)));
        continue;
      }
      const first = bytes[start];
      if (
        first !== undefined &&
        start < end &&
        ((first >= ZERO && first <= NINE) || first === MINUS || first === POINT)
      ) {
        const value = plainDecimalAt(bytes, start, end);
        if (!Number.isNaN(value)) {
          sink.addNumber(value, end - start === 1 && (first === ZERO || first === ZERO + 1));
          continue;
        }
      }
      sink.add(bytes.toString('utf8', start, end));
    }
  };

  /** Reads every complete record of `bytes`; returns where the first incomplete one starts (bytes.length if none). */
  const scan = (bytes: Buffer, final: boolean): number => {
    const n = bytes.length;
    let recordStart = 0;
    let recordLine = line;
    let count = 0;
    let fieldStart = 0;
    let inQuotes = false;
    let i = 0;
    if (bytes[0] === QUOTE) {
      inQuotes = true;
      quoted[0] = 1;
    } else quoted[0] = 0;
    const closeField = (end: number): void => {
      if (count + 1 >= starts.length) {
        const size = starts.length * 2;
        starts = grow(starts, size);
        ends = grow(ends, size);
        const widened = new Uint8Array(size);
        widened.set(quoted);
        quoted = widened;
      }
      starts[count] = fieldStart;
      ends[count] = end;
      count += 1;
    };
    const openField = (at: number): void => {
      fieldStart = at;
      if (bytes[at] === QUOTE && at < n) {
        inQuotes = true;
        quoted[count] = 1;
      } else quoted[count] = 0;
    };
    for (; i < n; i += 1) {
      const c = bytes[i] as number;
      if (inQuotes) {
        if (c === QUOTE && i > fieldStart) {
          if (bytes[i + 1] === QUOTE) i += 1;
          else if (i + 1 < n || final) inQuotes = false;
          else {
            line = recordLine;
            return recordStart;
          }
        } else if (c === NEWLINE) line += 1;
        continue;
      }
      if (c === separator) {
        closeField(i);
        openField(i + 1);
      } else if (c === NEWLINE) {
        closeField(i > fieldStart && bytes[i - 1] === RETURN ? i - 1 : i);
        takeRecord(bytes, count, recordLine);
        line += 1;
        recordLine = line;
        recordStart = i + 1;
        count = 0;
        openField(i + 1);
      }
    }
    if (!final) {
      line = recordLine;
      return recordStart;
    }
    if (recordStart < n) {
      closeField(n > fieldStart && bytes[n - 1] === RETURN ? n - 1 : n);
      takeRecord(bytes, count, recordLine);
    }
    return n;
  };

  let carry: Buffer | null = null;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20 })) {
      const bytes: Buffer = carry === null ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
      const consumed = scan(bytes, false);
      carry = consumed < bytes.length ? bytes.subarray(consumed) : null;
    }
    if (carry !== null) scan(carry, true);
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
  return { names: names ?? [], rows, columns, lines };
}

function grow(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(size);
  out.set(array);
  return out;
}

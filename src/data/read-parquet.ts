import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { messageOf, usageError } from '../core/errors.js';
import type { SourceRecord } from './read-records.js';

/** Parquet integers arrive as BigInt (also inside lists and structs); they become numbers when exact, else text, so no value is silently rounded. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** Reads a Parquet file (any codec hyparquet-compressors knows: snappy, gzip, brotli, zstd, lz4); `line` is the row number from 1. */
export async function readParquetRecords(path: string): Promise<SourceRecord[]> {
  let rows: Record<string, unknown>[];
  try {
    const file = await asyncBufferFromFile(path);
    rows = await parquetReadObjects({ file, compressors });
  } catch (error) {
    throw usageError(
      'DATA_UNREADABLE',
      `cannot read ${path} as Parquet: ${messageOf(error)}`,
      'check that the file is a complete Parquet file',
    );
  }
  if (rows.length === 0) throw usageError('DATA_EMPTY', `${path} has no records`, 'add at least one row');
  return rows.map((row, i) => ({
    line: i + 1,
    fields: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])),
  }));
}

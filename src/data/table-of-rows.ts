import { ColumnAccumulator, MISSING_WORDS } from './column-accumulator.js';
import type { ColumnTable } from './read-columns.js';

/**
 * Rows held in memory as a column table, one accumulator per column; `names` fixes the columns (a row without one of
 * them counts as missing there), otherwise every key any row has becomes a column.
 */
export function tableOfRows(
  path: string,
  rows: readonly Readonly<Record<string, unknown>>[],
  names: readonly string[] | null = null,
  missingWords: ReadonlySet<string> = MISSING_WORDS,
): ColumnTable {
  const keys = names ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const columns = new Map(keys.map((key) => [key, new ColumnAccumulator(missingWords)]));
  for (const row of rows) for (const [key, accumulator] of columns) accumulator.add(row[key]);
  return { path, rows: rows.length, names: [...keys], columns, lines: null };
}

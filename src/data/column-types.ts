import type { ColumnAccumulator } from './column-accumulator.js';

/** The type a column's values are analysed as. */
export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'text' | 'datetime';

/** One side (reference or current) of a column, read into the form its tests need. */
export interface ColumnValues {
  /** Non-missing values as numbers (numeric and datetime columns: epoch milliseconds for dates). */
  numbers: Float64Array;
  /** How often each value occurs (categorical and boolean columns). */
  counts: Map<string, number>;
  /** The values themselves (text columns only). */
  texts: string[];
  /** Non-missing values. */
  size: number;
  missing: number;
  rows: number;
}

/** Values of a numeric sample as a ColumnValues (used for derived samples such as text lengths). */
export function numericValues(numbers: Float64Array, missing: number, rows: number): ColumnValues {
  return { numbers, counts: new Map(), texts: [], size: numbers.length, missing, rows };
}

const DISTINCT_CAP = 100_000;

/** Distinct values of a sample, counted up to `cap` (enough to tell "more than 5" apart cheaply). */
export function distinctUpTo(values: Float64Array, cap: number): number {
  const seen = new Set<number>();
  for (const v of values) {
    seen.add(v);
    if (seen.size >= cap) break;
  }
  return seen.size;
}

function distinctNumbers(sides: readonly ColumnAccumulator[], cap: number): number {
  const seen = new Set<number>();
  for (const side of sides) side.distinctNumbersUpTo(cap, seen);
  return seen.size;
}

export interface InferredType {
  type: ColumnType;
  /** Share of numbers in a column that is mostly but not entirely numeric (analysed as categorical); null otherwise. */
  mixedShare: number | null;
  /** Distinct non-numeric values over both sides (at most 100,000 counted). */
  distinctTexts: number;
}

/**
 * The column's type from what both sides' values look like: numeric when every value is a number (two distinct
 * values make it boolean), datetime when every value is an ISO date, boolean for true/false/yes/no, text when at least
 * half the values have three or more words and at least half are distinct, categorical otherwise.
 */
export function inferType(sides: readonly ColumnAccumulator[]): InferredType {
  const total = sides.reduce((s, a) => s + a.rows - a.missing, 0);
  const numeric = sides.reduce((s, a) => s + a.numeric, 0);
  const union = new Set<string>();
  for (const side of sides) for (const w of side.words) if (union.size < DISTINCT_CAP) union.add(w);
  const distinctTexts = union.size;
  if (total === 0) return { type: 'categorical', mixedShare: null, distinctTexts };
  if (numeric === total)
    return { type: distinctNumbers(sides, 3) <= 2 ? 'boolean' : 'numeric', mixedShare: null, distinctTexts };
  const count = (pick: (a: ColumnAccumulator) => number): number => sides.reduce((s, a) => s + pick(a), 0);
  if (count((a) => a.date) === total) return { type: 'datetime', mixedShare: null, distinctTexts };
  if (count((a) => a.boolean) === total) return { type: 'boolean', mixedShare: null, distinctTexts };
  const mixedShare = numeric > 0 && numeric >= total * 0.5 ? numeric / total : null;
  const nonNumeric = total - numeric;
  if (count((a) => a.wordy) >= total * 0.5 && distinctTexts >= Math.min(nonNumeric, DISTINCT_CAP) * 0.5)
    return { type: 'text', mixedShare, distinctTexts };
  return { type: 'categorical', mixedShare, distinctTexts };
}

const TRUE = new Set(['true', 'yes', 't', 'y', '1']);
const FALSE = new Set(['false', 'no', 'f', 'n', '0']);

/** A side of a column as its type's tests need it; missing values (and, for numeric types, non-numbers) are counted and left out. */
export function sideValues(side: ColumnAccumulator, type: ColumnType): ColumnValues {
  if (type === 'numeric') return numericValues(side.numbers(), side.missing + side.nonNumeric, side.rows);
  if (type === 'datetime') {
    const times = side
      .texts()
      .map((t) => Date.parse(t))
      .filter((ms) => Number.isFinite(ms));
    return numericValues(Float64Array.from(times), side.rows - times.length, side.rows);
  }
  if (type === 'text') {
    const texts = side.texts();
    return {
      numbers: new Float64Array(),
      counts: new Map(),
      texts,
      size: texts.length,
      missing: side.missing,
      rows: side.rows,
    };
  }
  let counts = side.valueCounts();
  if (type === 'boolean') {
    const mapped = new Map<string, number>();
    for (const [value, n] of counts) {
      const lower = value.trim().toLowerCase();
      const key = TRUE.has(lower) ? 'true' : FALSE.has(lower) ? 'false' : value;
      mapped.set(key, (mapped.get(key) ?? 0) + n);
    }
    counts = mapped;
  }
  let size = 0;
  for (const n of counts.values()) size += n;
  return { numbers: new Float64Array(), counts, texts: [], size, missing: side.missing, rows: side.rows };
}

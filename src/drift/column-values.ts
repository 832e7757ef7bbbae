/** The type a column's values are analysed as. */
export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'text' | 'datetime';

/** One side (reference or current) of a column, read into the form its tests need. */
export interface ColumnValues {
  /** Non-missing values as numbers (numeric and datetime columns: epoch milliseconds for dates). */
  numbers: Float64Array;
  /** Non-missing values as text (categorical, boolean and text columns). */
  texts: string[];
  missing: number;
  rows: number;
}

const BOOLEAN = new Set(['true', 'false', 'yes', 'no', 't', 'f', 'y', 'n']);
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function isMissing(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  if (typeof value === 'string') {
    const t = value.trim().toLowerCase();
    return t === '' || t === 'na' || t === 'nan' || t === 'null' || t === 'none';
  }
  return false;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

/** What the non-missing values of a column look like, counted over both sides. */
export interface TypeEvidence {
  total: number;
  numeric: number;
  boolean: number;
  date: number;
  /** Values with at least three words. */
  wordy: number;
  distinct: number;
}

/** Counts, over a sample of values, how many look like each type (distinct values counted up to `distinctCap`). */
export function typeEvidence(values: readonly unknown[], distinctCap = 100_000): TypeEvidence {
  const evidence: TypeEvidence = { total: 0, numeric: 0, boolean: 0, date: 0, wordy: 0, distinct: 0 };
  const seen = new Set<string>();
  for (const value of values) {
    if (isMissing(value)) continue;
    evidence.total += 1;
    if (typeof value === 'boolean') evidence.boolean += 1;
    else if (Number.isFinite(asNumber(value))) evidence.numeric += 1;
    const text = asText(value);
    if (typeof value === 'string' && BOOLEAN.has(text.trim().toLowerCase())) evidence.boolean += 1;
    if (value instanceof Date || (typeof value === 'string' && DATE.test(text.trim()) && !Number.isNaN(Date.parse(text)))) evidence.date += 1;
    if (text.trim().split(/\s+/).length >= 3) evidence.wordy += 1;
    if (seen.size < distinctCap) seen.add(text);
  }
  evidence.distinct = seen.size;
  return evidence;
}

/**
 * The column's type from the evidence of both sides: numeric when every value parses as a number (two distinct
 * values make it boolean), datetime when every value is an ISO date, boolean for true/false/yes/no, text when most
 * values are several words and most are distinct, categorical otherwise. `mixedShare` is the share of numbers in a
 * column that is mostly but not entirely numeric (it is then analysed as categorical and reported as mixed).
 */
export function inferType(e: TypeEvidence): { type: ColumnType; mixedShare: number | null } {
  if (e.total === 0) return { type: 'categorical', mixedShare: null };
  if (e.numeric === e.total) return { type: e.distinct <= 2 ? 'boolean' : 'numeric', mixedShare: null };
  if (e.date === e.total) return { type: 'datetime', mixedShare: null };
  if (e.boolean === e.total) return { type: 'boolean', mixedShare: null };
  const mixedShare = e.numeric > 0 && e.numeric >= e.total * 0.5 ? e.numeric / e.total : null;
  if (e.wordy >= e.total * 0.5 && e.distinct >= Math.min(e.total, 100_000) * 0.5) return { type: 'text', mixedShare };
  return { type: 'categorical', mixedShare };
}

/** A side of a column as its type's tests need it; missing values are counted and left out. */
export function columnValues(values: readonly unknown[], type: ColumnType): ColumnValues {
  const numbers: number[] = [];
  const texts: string[] = [];
  let missing = 0;
  for (const value of values) {
    if (isMissing(value)) {
      missing += 1;
      continue;
    }
    if (type === 'numeric') {
      const n = asNumber(value);
      if (Number.isFinite(n)) numbers.push(n);
      else missing += 1;
    } else if (type === 'datetime') {
      const ms = value instanceof Date ? value.getTime() : Date.parse(asText(value));
      if (Number.isFinite(ms)) numbers.push(ms);
      else missing += 1;
    } else if (type === 'boolean') {
      const t = asText(value).trim().toLowerCase();
      texts.push(t === 'true' || t === 'yes' || t === 't' || t === 'y' || t === '1' ? 'true' : t === 'false' || t === 'no' || t === 'f' || t === 'n' || t === '0' ? 'false' : t);
    } else texts.push(asText(value));
  }
  return { numbers: Float64Array.from(numbers), texts, missing, rows: values.length };
}

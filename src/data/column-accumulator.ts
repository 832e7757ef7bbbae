/**
 * One column of a data file, gathered value by value without keeping a row object: numbers in a growing
 * Float64Array (NaN where a value is missing or not a number), other values dictionary-encoded, and counts of what
 * the values look like, from which the column's type is inferred.
 */

const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', 't', 'f', 'y', 'n']);
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** Lower-case words that mean "no value" unless a reader says otherwise. */
export const MISSING_WORDS: ReadonlySet<string> = new Set(['', 'na', 'nan', 'null', 'none', 'n/a']);
/** Distinct non-numeric values kept per column; beyond it values are still kept, but as plain strings. */
export const DICTIONARY_CAP = 100_000;

/** 10^k for k ≤ 22, each exact in a double (the range Clinger's fast path may divide by). */
export const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * A plain decimal (`-12.345`: optional minus, digits, optional fraction) with at most 15 significant digits, parsed
 * without Number(): the digits form an exact integer below 2⁵³ and 10^k (k ≤ 22) is exact, so one division gives the
 * correctly rounded value, the same double Number() returns (Clinger's fast path). NaN for anything else.
 */
export function parsePlainDecimal(text: string): number {
  const length = text.length;
  let i = 0;
  let negative = false;
  if (text.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (; i < length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa !== 0 || digits > 0) digits += 1;
      if (decimals >= 0) decimals += 1;
    } else if (c === 46 && decimals < 0) decimals = 0;
    else return Number.NaN;
  }
  if (digits > 15 || decimals > 22 || (decimals <= 0 && i === (negative ? 1 : 0))) return Number.NaN;
  if (length === (negative ? 1 : 0) || (decimals === 0 && length === (negative ? 2 : 1))) return Number.NaN;
  const value = decimals > 0 ? mantissa / (POWERS_OF_TEN[decimals] as number) : mantissa;
  return negative ? -value : value;
}

/** Values are stored in fixed chunks, so a growing column is never copied. */
const CHUNK = 1 << 16;

/** A column's state as plain data, to move it between threads (the chunks' buffers are transferred, not copied). */
export interface ColumnState {
  numberChunks: Float64Array[];
  codeChunks: Int32Array[];
  offset: number;
  words: string[];
  overflow: [number, string][];
  counters: { rows: number; missing: number; numeric: number; boolean: number; date: number; wordy: number };
}

export class ColumnAccumulator {
  private numberChunks: Float64Array[] = [];
  private codeChunks: Int32Array[] = [];
  private numbersBuffer = new Float64Array(0);
  private codesBuffer = new Int32Array(0);
  private offset = CHUNK;
  private readonly dictionary = new Map<string, number>();
  words: string[] = [];
  /** Values past the dictionary's cap, by row. */
  private overflow = new Map<number, string>();
  rows = 0;
  missing = 0;
  numeric = 0;
  boolean = 0;
  date = 0;
  wordy = 0;

  /** `missingWords`: lower-case, trimmed texts that mean "no value". */
  constructor(private readonly missingWords: ReadonlySet<string> = MISSING_WORDS) {}

  private nextChunk(): void {
    this.numbersBuffer = new Float64Array(CHUNK);
    this.codesBuffer = new Int32Array(CHUNK);
    this.numberChunks.push(this.numbersBuffer);
    this.codeChunks.push(this.codesBuffer);
    this.offset = 0;
  }

  /** Adds the next row's value (rows a file lacks the column in are added as undefined). */
  add(value: unknown): void {
    if (typeof value === 'string' && value.length > 0) {
      // Fast path: a value that starts like a number is one when Number() says so (most cells of numeric columns).
      const c = value.charCodeAt(0);
      if ((c >= 48 && c <= 57) || c === 45 || c === 46) {
        let n = parsePlainDecimal(value);
        if (Number.isNaN(n)) n = Number(value);
        if (Number.isFinite(n)) {
          this.addNumber(n, value.length === 1 && (c === 48 || c === 49));
          return;
        }
      }
    }
    if (this.offset === CHUNK) this.nextChunk();
    const row = this.offset;
    this.offset += 1;
    this.rows += 1;
    this.numbersBuffer[row] = Number.NaN;
    this.codesBuffer[row] = -1;
    if (value === null || value === undefined) {
      this.missing += 1;
      return;
    }
    if (typeof value === 'number' || typeof value === 'bigint') {
      const n = Number(value);
      if (Number.isNaN(n)) this.missing += 1;
      else {
        this.numbersBuffer[row] = n;
        this.numeric += 1;
      }
      return;
    }
    if (typeof value === 'boolean') {
      this.boolean += 1;
      this.encode(row, String(value));
      return;
    }
    const text =
      typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
    const trimmed = text.trim();
    if (this.missingWords.has(trimmed.toLowerCase())) {
      this.missing += 1;
      return;
    }
    const n = Number(trimmed);
    if (Number.isFinite(n)) {
      this.numbersBuffer[row] = n;
      this.numeric += 1;
      // Numbers are kept as numbers only; "0"/"1" still count toward a boolean column.
      if (trimmed === '0' || trimmed === '1') this.boolean += 1;
      return;
    }
    const lower = trimmed.toLowerCase();
    if (BOOLEAN_WORDS.has(lower)) this.boolean += 1;
    if (trimmed.length >= 10 && DATE.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) this.date += 1;
    if (/\S\s+\S+\s+\S/.test(trimmed)) this.wordy += 1;
    this.encode(row, text);
  }

  /**
   * Adds the next row's value when a reader has already parsed it as a number from text (the same as `add` of that
   * text); `zeroOrOne` when the text was exactly "0" or "1", which also counts toward a boolean column.
   */
  addNumber(value: number, zeroOrOne: boolean): void {
    if (this.offset === CHUNK) this.nextChunk();
    const row = this.offset;
    this.offset += 1;
    this.rows += 1;
    this.numbersBuffer[row] = value;
    this.codesBuffer[row] = -1;
    this.numeric += 1;
    if (zeroOrOne) this.boolean += 1;
  }

  private encode(row: number, text: string): void {
    let code = this.dictionary.get(text);
    if (code === undefined) {
      if (this.words.length >= DICTIONARY_CAP) {
        this.overflow.set(this.rows - 1, text);
        this.codesBuffer[row] = -2;
        return;
      }
      code = this.words.length;
      this.dictionary.set(text, code);
      this.words.push(text);
    }
    this.codesBuffer[row] = code;
  }

  /** Non-missing values that were not numbers. */
  get nonNumeric(): number {
    return this.rows - this.missing - this.numeric;
  }

  /** Distinct values seen (numbers not counted beyond the dictionary): a lower bound once the cap is reached. */
  get distinctTexts(): number {
    return this.words.length + (this.overflow.size > 0 ? 1 : 0);
  }

  /** The state to post to another thread, and the buffers to transfer with it. */
  toState(): { state: ColumnState; transfer: ArrayBuffer[] } {
    const state: ColumnState = {
      numberChunks: this.numberChunks,
      codeChunks: this.codeChunks,
      offset: this.offset,
      words: this.words,
      overflow: [...this.overflow],
      counters: {
        rows: this.rows,
        missing: this.missing,
        numeric: this.numeric,
        boolean: this.boolean,
        date: this.date,
        wordy: this.wordy,
      },
    };
    return {
      state,
      transfer: [
        ...this.numberChunks.map((c) => c.buffer as ArrayBuffer),
        ...this.codeChunks.map((c) => c.buffer as ArrayBuffer),
      ],
    };
  }

  /** A column rebuilt from `toState` (only for reading: values added afterwards would be lost). */
  static fromState(state: ColumnState): ColumnAccumulator {
    const column = new ColumnAccumulator();
    column.numberChunks = state.numberChunks;
    column.codeChunks = state.codeChunks;
    column.offset = state.offset;
    column.words = state.words;
    column.overflow = new Map(state.overflow);
    Object.assign(column, state.counters);
    return column;
  }

  /** Calls `visit` with each row's number (NaN when none) and dictionary code (−1 none, −2 past the cap). */
  private each(visit: (number: number, code: number, row: number) => void): void {
    let row = 0;
    this.numberChunks.forEach((numbers, k) => {
      const codes = this.codeChunks[k] as Int32Array;
      const length = k === this.numberChunks.length - 1 ? this.offset : CHUNK;
      for (let i = 0; i < length; i += 1) visit(numbers[i] as number, codes[i] as number, row++);
    });
  }

  /** Row `row`'s value as text (numbers written back as text); null when missing. */
  textAt(row: number): string | null {
    const k = row >>> 16;
    const i = row & (CHUNK - 1);
    const code = (this.codeChunks[k] as Int32Array)[i] as number;
    if (code >= 0) return this.words[code] as string;
    if (code === -2) return this.overflow.get(row) ?? '';
    const n = (this.numberChunks[k] as Float64Array)[i] as number;
    return Number.isNaN(n) ? null : String(n);
  }

  /** Row `row`'s number: NaN when missing or not a number. */
  numberAt(row: number): number {
    return (this.numberChunks[row >>> 16] as Float64Array)[row & (CHUNK - 1)] as number;
  }

  /** The numbers of every row in order (NaN where none), as views of the stored chunks: nothing is copied. */
  numberViews(): Float64Array[] {
    return this.numberChunks.map((chunk, k) =>
      k === this.numberChunks.length - 1 ? chunk.subarray(0, this.offset) : chunk,
    );
  }

  /** Row `row`'s dictionary code: −1 for none (missing or a number), −2 past the dictionary's cap. */
  codeAt(row: number): number {
    return (this.codeChunks[row >>> 16] as Int32Array)[row & (CHUNK - 1)] as number;
  }

  /** Distinct numbers in the column, counted up to `cap` (stops there). */
  distinctNumbersUpTo(cap: number, seen: Set<number> = new Set()): number {
    for (let k = 0; k < this.numberChunks.length && seen.size < cap; k += 1) {
      const numbers = this.numberChunks[k] as Float64Array;
      const length = k === this.numberChunks.length - 1 ? this.offset : CHUNK;
      for (let i = 0; i < length && seen.size < cap; i += 1) {
        const v = numbers[i] as number;
        if (!Number.isNaN(v)) seen.add(v);
      }
    }
    return seen.size;
  }

  /** The numbers of the column (missing and non-numeric values left out). */
  numbers(): Float64Array {
    const out = new Float64Array(this.numeric);
    let k = 0;
    this.each((n) => {
      if (!Number.isNaN(n)) out[k++] = n;
    });
    return out;
  }

  /** Every non-missing value as text, in row order (numbers written back as text). */
  texts(): string[] {
    const out: string[] = [];
    this.each((n, code, row) => {
      if (code >= 0) out.push(this.words[code] as string);
      else if (code === -2) out.push(this.overflow.get(row) ?? '');
      else if (!Number.isNaN(n)) out.push(String(n));
    });
    return out;
  }

  /** How often each non-missing value occurs (numbers written back as text), counted without building the values. */
  valueCounts(): Map<string, number> {
    const byCode = new Float64Array(this.words.length);
    const others = new Map<string, number>();
    this.each((n, code, row) => {
      if (code >= 0) byCode[code] = (byCode[code] as number) + 1;
      else if (code === -2 || !Number.isNaN(n)) {
        const key = code === -2 ? (this.overflow.get(row) ?? '') : String(n);
        others.set(key, (others.get(key) ?? 0) + 1);
      }
    });
    const counts = new Map<string, number>();
    this.words.forEach((w, i) => {
      if ((byCode[i] as number) > 0) counts.set(w, byCode[i] as number);
    });
    for (const [k, v] of others) counts.set(k, (counts.get(k) ?? 0) + v);
    return counts;
  }
}

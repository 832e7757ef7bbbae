import { compareLabels, type EncodedLabels, type Label } from '../accuracy/labels.js';
import { usageError, type Problem } from '../core/errors.js';
import type { ColumnAccumulator } from './column-accumulator.js';
import { readColumns, type ColumnTable } from './read-columns.js';

/** Texts that mean "no value" in a predictions file, after trimming, in any case. */
export const PREDICTION_MISSING_WORDS: ReadonlySet<string> = new Set(['', 'nan', 'na', 'null']);

export interface ColumnNames {
  truth: string;
  prediction: string | null;
  score: string | null;
  /** Columns whose names start with this prefix are read too (per-class probabilities). */
  extrasPrefix?: string | null;
}

/** A class label column over the evaluated rows: its distinct values and each row's index among them. */
export interface LabelColumn {
  values: Label[];
  codes: Int32Array;
}

/**
 * The columns `yardstick metrics` evaluates, read column by column (numbers in typed arrays, text
 * dictionary-encoded), and which rows are evaluated: those with every named column present, unless missing values
 * are an error.
 */
export class PredictionTable {
  private constructor(
    readonly path: string,
    private readonly table: ColumnTable,
    /** Rows evaluated, as row indices of the file (null: every row). */
    private readonly kept: Int32Array | null,
    /** Rows evaluated. */
    readonly n: number,
    /** Rows left out because a value was missing (with --drop-missing). */
    readonly dropped: number,
  ) {}

  /** Every column of the file, in its order. */
  get available(): string[] {
    return this.table.names;
  }

  /**
   * Reads the named columns of a file. An unknown column lists the available ones; rows with a missing value are an
   * error listing the first of them, unless `dropMissing`, which leaves them out and counts them.
   */
  static async read(path: string, names: ColumnNames, dropMissing: boolean): Promise<PredictionTable> {
    const named = [names.truth, names.prediction, names.score].filter((n): n is string => n !== null);
    const prefix = names.extrasPrefix ?? null;
    const table = await readColumns(path, {
      only: (name) => named.includes(name) || (prefix !== null && name.startsWith(prefix)),
      missingWords: PREDICTION_MISSING_WORDS,
      withLines: true,
    });
    const unknown = named.filter((name) => !table.columns.has(name));
    if (unknown.length > 0) {
      throw usageError(
        'COLUMN_UNKNOWN',
        `${path} has no column ${unknown.map((n) => `'${n}'`).join(' or ')}`,
        `available columns: ${table.names.join(', ')}`,
      );
    }
    const columns = [...table.columns];
    if (columns.every(([, column]) => column.missing === 0))
      return new PredictionTable(path, table, null, table.rows, 0);
    const problems: Problem[] = [];
    let missingRows = 0;
    const keep = new Int32Array(table.rows);
    let n = 0;
    for (let row = 0; row < table.rows; row += 1) {
      let missing = false;
      for (const [, column] of columns) if (isMissingAt(column, row)) missing = true;
      if (!missing) {
        keep[n++] = row;
        continue;
      }
      missingRows += 1;
      if (problems.length < 10)
        problems.push({
          where: `${path}:${table.lines?.at(row) ?? row + 1}`,
          field: columns
            .filter(([, column]) => isMissingAt(column, row))
            .map(([name]) => name)
            .join(', '),
          message: 'missing value',
        });
    }
    if (missingRows > 0 && !dropMissing) {
      throw usageError(
        'VALUES_MISSING',
        `${path} has ${missingRows} row${missingRows === 1 ? '' : 's'} with missing values${missingRows > problems.length ? ` (the first ${problems.length} listed)` : ''}`,
        'fill them in, or pass --drop-missing to leave those rows out',
        problems,
      );
    }
    if (n === 0) throw usageError('DATA_EMPTY', `${path} has no usable rows`, 'check the file and the column names');
    return new PredictionTable(path, table, missingRows === 0 ? null : keep.subarray(0, n), n, missingRows);
  }

  private column(name: string): ColumnAccumulator {
    const column = this.table.columns.get(name);
    if (column === undefined)
      throw usageError(
        'COLUMN_UNKNOWN',
        `${this.path} has no column '${name}'`,
        `available columns: ${this.table.names.join(', ')}`,
      );
    return column;
  }

  private row(k: number): number {
    return this.kept === null ? k : (this.kept[k] as number);
  }

  /** The line of the file evaluated row k starts on. */
  lineOf(k: number): number {
    const row = this.row(k);
    return this.table.lines?.at(row) ?? row + 1;
  }

  /** Whether every evaluated value of the column is a number. */
  isNumeric(name: string): boolean {
    const column = this.column(name);
    if (column.nonNumeric === 0) return true;
    for (let k = 0; k < this.n; k += 1) if (Number.isNaN(column.numberAt(this.row(k)))) return false;
    return true;
  }

  /** Calls `visit` with each evaluated row's number (NaN when not a number), in order. */
  private eachNumber(name: string, visit: (value: number, k: number) => void): void {
    const column = this.column(name);
    if (this.kept === null) {
      let k = 0;
      for (const view of column.numberViews()) for (let i = 0; i < view.length; i += 1) visit(view[i] as number, k++);
    } else for (let k = 0; k < this.n; k += 1) visit(column.numberAt(this.row(k)), k);
  }

  /** Whether every evaluated value of the column is a whole number (the column being numeric). */
  isWhole(name: string): boolean {
    let whole = true;
    this.eachNumber(name, (value) => {
      if (!Number.isInteger(value)) whole = false;
    });
    return whole;
  }

  /**
   * The column's evaluated numbers as number labels (each value's index among the distinct values); null once more
   * than `cap` distinct values appear. The column must be numeric.
   */
  numberLabels(name: string): LabelColumn;
  numberLabels(name: string, cap: number): LabelColumn | null;
  numberLabels(name: string, cap = Infinity): LabelColumn | null {
    const labels = new NumberLabeller(cap);
    const codes = new Int32Array(this.n);
    this.eachNumber(name, (value, k) => {
      codes[k] = labels.code(value);
    });
    return labels.overflowed ? null : { values: labels.values, codes };
  }

  /** The column's evaluated values as numbers, failing with the first rows that are not numeric. */
  numbers(name: string): Float64Array {
    const column = this.column(name);
    const out = new Float64Array(this.n);
    if (this.kept === null) {
      let k = 0;
      for (const view of column.numberViews()) {
        out.set(view, k);
        k += view.length;
      }
      if (column.nonNumeric === 0) return out;
    }
    const problems: Problem[] = [];
    for (let k = 0; k < this.n; k += 1) {
      const value = column.numberAt(this.row(k));
      if (Number.isNaN(value) && problems.length < 10)
        problems.push({
          where: `${this.path}:${this.lineOf(k)}`,
          field: name,
          message: `'${column.textAt(this.row(k)) ?? ''}' is not a number`,
        });
      out[k] = value;
    }
    if (problems.length > 0)
      throw usageError(
        'VALUES_NOT_NUMERIC',
        `column '${name}' of ${this.path} must be numeric`,
        'fix the rows listed above, or choose the task explicitly with --task',
        problems,
      );
    return out;
  }

  /** The column's evaluated values as text labels (numbers written as text). */
  textLabels(name: string): LabelColumn {
    const column = this.column(name);
    const byWord = new Int32Array(column.words.length).fill(-1);
    const others = new Map<string, number>();
    const values: Label[] = [];
    const codes = new Int32Array(this.n);
    for (let k = 0; k < this.n; k += 1) {
      const row = this.row(k);
      const word = column.codeAt(row);
      if (word >= 0) {
        let code = byWord[word] as number;
        if (code < 0) {
          code = values.length;
          byWord[word] = code;
          values.push(column.words[word] as string);
        }
        codes[k] = code;
        continue;
      }
      const text = column.textAt(row) ?? '';
      let code = others.get(text);
      if (code === undefined) {
        code = values.length;
        others.set(text, code);
        values.push(text);
      }
      codes[k] = code;
    }
    return { values, codes };
  }
}

function isMissingAt(column: ColumnAccumulator, row: number): boolean {
  return column.codeAt(row) === -1 && Number.isNaN(column.numberAt(row));
}

/**
 * Gives each distinct number a code in order of first appearance: the last value's code first (runs of equal
 * labels), then a scan of the few distinct values seen (classes), then a map once there are many.
 */
class NumberLabeller {
  readonly values: number[] = [];
  private readonly index = new Map<number, number>();
  private last = Number.NaN;
  private lastCode = -1;
  overflowed = false;

  constructor(private readonly cap: number) {}

  code(value: number): number {
    if (value === this.last) return this.lastCode;
    let code = -1;
    if (this.values.length <= 16) {
      for (let i = 0; i < this.values.length; i += 1) if (this.values[i] === value) code = i;
    } else code = this.index.get(value) ?? -1;
    if (code < 0) {
      if (this.values.length >= this.cap) {
        this.overflowed = true;
        return 0;
      }
      code = this.values.length;
      this.values.push(value);
      this.index.set(value, code);
    }
    this.last = value;
    this.lastCode = code;
    return code;
  }
}

/**
 * True and predicted label columns over the sorted union of their labels, as scikit-learn's `unique_labels` orders
 * them (numbers numerically, text lexically).
 */
export function mergeLabelColumns(truth: LabelColumn, prediction: LabelColumn): EncodedLabels {
  const labels = [...new Set([...truth.values, ...prediction.values])].sort(compareLabels);
  const position = new Map<Label, number>(labels.map((label, i) => [label, i]));
  const recode = (column: LabelColumn): Int32Array => {
    const global = Int32Array.from(column.values, (value) => position.get(value) ?? 0);
    if (global.every((code, i) => code === i)) return column.codes;
    const out = new Int32Array(column.codes.length);
    for (let k = 0; k < out.length; k += 1) out[k] = global[column.codes[k] as number] as number;
    return out;
  };
  return { labels, trueCodes: recode(truth), predCodes: recode(prediction) };
}

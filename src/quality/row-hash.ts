import type { ColumnAccumulator } from '../data/column-accumulator.js';

/** Normalized text: lower case, punctuation dropped, whitespace collapsed. */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function stringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Hashes of rows over some columns, for finding equal rows without building row keys: each value (a number's bits,
 * or a hash of its text — normalized text when asked) goes through two FNV-style hashes combined into 53 bits. Text
 * is hashed by content, not by dictionary code, so rows of different files compare. Equal hashes are only
 * candidates: `sameRow` confirms them value by value.
 */
export class RowHasher {
  private readonly view = new DataView(new ArrayBuffer(8));
  private readonly wordHashes: Uint32Array[];

  constructor(
    private readonly columns: readonly ColumnAccumulator[],
    private readonly normalize = false,
  ) {
    this.wordHashes = columns.map((c) =>
      Uint32Array.from(c.words, (w) => stringHash(normalize ? normalizeText(w) : w)),
    );
  }

  private text(column: number, row: number): string {
    const value = (this.columns[column] as ColumnAccumulator).textAt(row) ?? '';
    return this.normalize ? normalizeText(value) : value;
  }

  /** The two 32-bit parts identifying a value, left in `x` and `y` (no allocation per value). */
  private x = 0;
  private y = 0;

  private valueParts(column: number, row: number): void {
    const accumulator = this.columns[column] as ColumnAccumulator;
    const code = accumulator.codeAt(row);
    if (code >= 0) {
      this.x = 1;
      this.y = (this.wordHashes[column] as Uint32Array)[code] as number;
      return;
    }
    if (code === -2) {
      this.x = 1;
      this.y = stringHash(this.text(column, row));
      return;
    }
    const number = accumulator.numberAt(row);
    if (Number.isNaN(number)) {
      this.x = 3;
      this.y = 0;
      return;
    }
    this.view.setFloat64(0, number);
    this.x = this.view.getUint32(0);
    this.y = this.view.getUint32(4);
  }

  hash(row: number): number {
    let a = 0x811c9dc5;
    let b = 0x01000193;
    for (let c = 0; c < this.columns.length; c += 1) {
      this.valueParts(c, row);
      a = Math.imul(a ^ this.x, 0x01000193);
      a = Math.imul(a ^ this.y, 0x01000193);
      b = Math.imul(b ^ this.y, 0x5bd1e995);
      b = Math.imul(b ^ (this.x + c), 0x5bd1e995);
    }
    return (a >>> 0) * 2 ** 21 + ((b >>> 0) & 0x1fffff);
  }

  /** True when a row of this hasher's columns and a row of `other`'s hold the same values in every column. */
  sameRow(row: number, other: RowHasher, otherRow: number): boolean {
    for (let c = 0; c < this.columns.length; c += 1) {
      this.valueParts(c, row);
      const x = this.x;
      const y = this.y;
      // `other` may be this hasher: read its parts only after keeping ours.
      other.valueParts(c, otherRow);
      if (x !== other.x || y !== other.y) return false;
      if (x === 1 && this.text(c, row) !== other.text(c, otherRow)) return false;
    }
    return true;
  }
}

/**
 * Groups rows with equal values: for each row, the first earlier row equal to it (or −1). Rows of `rows` only, when
 * given (a split's rows of a shared file).
 */
export function firstEqualRows(hasher: RowHasher, rowCount: number, rows: Int32Array | null = null): Int32Array {
  // The first row of each hash; rows whose hash matched but whose values did not (rare) wait in `others`.
  const firstByHash = new Map<number, number>();
  const others = new Map<number, number[]>();
  const n = rows === null ? rowCount : rows.length;
  const first = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k += 1) {
    const row = rows === null ? k : (rows[k] as number);
    const h = hasher.hash(row);
    const earlier = firstByHash.get(h);
    if (earlier === undefined) {
      firstByHash.set(h, row);
      continue;
    }
    if (hasher.sameRow(row, hasher, earlier)) {
      first[k] = earlier;
      continue;
    }
    const list = others.get(h) ?? [];
    const match = list.find((c) => hasher.sameRow(row, hasher, c));
    if (match === undefined) {
      list.push(row);
      others.set(h, list);
    } else first[k] = match;
  }
  return first;
}

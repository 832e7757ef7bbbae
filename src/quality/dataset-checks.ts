import type { ColumnAccumulator } from '../data/column-accumulator.js';
import type { ColumnTable } from '../data/read-columns.js';
import { finding, percent, type Finding } from './finding.js';
import { firstEqualRows, RowHasher } from './row-hash.js';

/** A part of the data: a whole file, or the rows of one value of a split column. */
export interface DataPart {
  name: string;
  table: ColumnTable;
  /** The part's rows of the table; null for all of them. */
  rows: Int32Array | null;
}

export function partSize(part: DataPart): number {
  return part.rows === null ? part.table.rows : part.rows.length;
}

export function rowAt(part: DataPart, k: number): number {
  return part.rows === null ? k : (part.rows[k] as number);
}

function accumulators(table: ColumnTable, names: readonly string[]): ColumnAccumulator[] {
  return names.map((n) => table.columns.get(n) as ColumnAccumulator);
}

/** Exact and normalized-text duplicate rows, conflicting labels and class balance within one part. */
export function checkDataset(part: DataPart, inputs: readonly string[], label: string | null): Finding[] {
  const findings: Finding[] = [];
  const where = part.name === '' ? '' : ` in ${part.name}`;
  const size = partSize(part);
  const all = label === null ? inputs : [...inputs, label];
  const exact = firstEqualRows(new RowHasher(accumulators(part.table, all)), part.table.rows, part.rows);
  const duplicates = exact.filter((f) => f >= 0).length;
  if (duplicates > 0) {
    findings.push(
      finding(
        duplicates / size > 0.05 ? 'warning' : 'info',
        'duplicates',
        null,
        `${duplicates} rows${where} (${percent(duplicates / size)}) repeat an earlier row exactly`,
        'duplicates weigh some cases more than others and, split across train and test, inflate accuracy: drop them or split by group',
        { duplicates, share: duplicates / size },
      ),
    );
  }
  const normalized = firstEqualRows(new RowHasher(accumulators(part.table, all), true), part.table.rows, part.rows);
  const nearDuplicates = normalized.filter((f) => f >= 0).length - duplicates;
  if (nearDuplicates > 0) {
    findings.push(
      finding(
        'info',
        'near-duplicates',
        null,
        `${nearDuplicates} more rows${where} repeat an earlier row once text is normalized (case, punctuation, spaces)`,
        'near-duplicates act like duplicates for a model: treat them the same way',
        { nearDuplicates },
      ),
    );
  }
  if (label === null) return findings;
  const labels = part.table.columns.get(label) as ColumnAccumulator;
  const sameInput = firstEqualRows(new RowHasher(accumulators(part.table, inputs)), part.table.rows, part.rows);
  const conflictGroups = new Set<number>();
  let conflictingRows = 0;
  for (let k = 0; k < size; k += 1) {
    const first = sameInput[k] as number;
    if (first < 0) continue;
    if (labels.textAt(rowAt(part, k)) !== labels.textAt(first)) {
      conflictGroups.add(first);
      conflictingRows += 1;
    }
  }
  if (conflictGroups.size > 0) {
    findings.push(
      finding(
        'error',
        'conflicting-labels',
        label,
        `${conflictGroups.size} inputs${where} appear with different labels (${conflictingRows} rows disagree with the first)`,
        'no model can be right on both; accuracy has a ceiling below 100% and the labels may be noisy: review these rows and agree on one label',
        { inputs: conflictGroups.size, rows: conflictingRows },
      ),
    );
  }
  const counts = new Map<string, number>();
  for (let k = 0; k < size; k += 1) {
    const value = labels.textAt(rowAt(part, k));
    if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  if (counts.size >= 2 && counts.size <= 1000) {
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const [major, majorCount] = sorted[0] as [string, number];
    const [minor, minorCount] = sorted[sorted.length - 1] as [string, number];
    const ratio = majorCount / minorCount;
    const balance = sorted
      .map(([k, v]) => `${k} ${v}`)
      .slice(0, 10)
      .join(', ');
    findings.push(
      finding(
        ratio >= 10 ? 'warning' : 'info',
        'class-balance',
        label,
        `labels${where}: ${balance}${sorted.length > 10 ? ', …' : ''}; imbalance ratio ${ratio.toFixed(1)} ('${major}' to '${minor}')`,
        ratio >= 10
          ? `always answering '${major}' already scores ${percent(majorCount / size)} accuracy: report balanced accuracy, per-class recall or MCC, and stratify splits`
          : 'classes are reasonably balanced',
        { classes: counts.size, imbalanceRatio: ratio },
      ),
    );
  }
  return findings;
}

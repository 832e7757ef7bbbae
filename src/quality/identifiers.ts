import type { ColumnProfile } from './column-checks.js';
import { finding, type Finding } from './finding.js';

/** Names that say a column identifies its row: `id`, `uuid`, `user_id`, `rowId`, `index`, `key`… */
const IDENTIFIER_NAME =
  /^(id|uuid|guid|key|index|idx|row|rowid|#)$|[_\-\s.](id|uuid|guid|key|idx)$|[a-z](Id|ID|Uuid|UUID)$/i;

/**
 * Columns that identify rows rather than describe them: named like an identifier and holding a distinct value in
 * every row. Two rows that differ only in such a column are still the same example, so these columns are left out
 * of the keys that find duplicates, conflicting labels and leakage between splits.
 */
export function identifierColumns(profiles: readonly ColumnProfile[], candidates: readonly string[]): string[] {
  const wanted = new Set(candidates);
  return profiles
    .filter(
      (p) =>
        wanted.has(p.name) && IDENTIFIER_NAME.test(p.name) && p.rows >= 2 && p.missing === 0 && p.distinct === p.rows,
    )
    .map((p) => p.name);
}

/** The finding that says which columns were treated as identifiers. */
export function identifiersFinding(identifiers: readonly string[]): Finding[] {
  if (identifiers.length === 0) return [];
  const names = identifiers.map((n) => `'${n}'`).join(', ');
  return [
    finding(
      'info',
      'identifiers',
      null,
      `${names} ${identifiers.length === 1 ? 'has' : 'have'} a distinct value in every row and ${identifiers.length === 1 ? 'is' : 'are'} named like an identifier: left out when rows are compared for duplicates, conflicting labels and leakage`,
      'if such a column is a real feature, rename it; rows that differ only in an identifier are the same example',
      { columns: identifiers.length },
    ),
  ];
}

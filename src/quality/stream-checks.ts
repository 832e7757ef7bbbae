import type { ColumnAccumulator } from '../data/column-accumulator.js';
import { inferType, type ColumnType } from '../data/column-types.js';
import type { ColumnTable } from '../data/read-columns.js';
import { binomialCdfAt } from '../stats/distributions.js';
import { finding, percent, type Finding, type Severity } from './finding.js';

/** The checks a window of live rows gets against the reference it is compared with. */
export const STREAM_CHECKS = ['missing', 'new-categories', 'out-of-range', 'text-length'] as const;
export type StreamCheck = (typeof STREAM_CHECKS)[number];

/** A share of a window's values at or above which an unusual kind of value is a warning rather than worth knowing. */
export const STREAM_WARNING_SHARE = 0.01;
/** How far (in points of share) the missing values of a window may exceed the reference's before it is a warning. */
export const MISSING_EXCESS = 0.05;

function words(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

/** The p-value below which values outside the reference's range count as more than chance. */
export const OUTSIDE_RANGE_ALPHA = 0.001;

/**
 * Whether `outside` of `size` values outside the range of the reference's `referenceSize` values are more than chance
 * gives: a new value from the reference's own distribution falls outside that range with probability 2 / (n + 1), so
 * the count is tested against a binomial(size, 2 / (n + 1)) at `OUTSIDE_RANGE_ALPHA`.
 */
function beyondChance(outside: number, size: number, referenceSize: number): boolean {
  if (outside === 0) return false;
  return 1 - binomialCdfAt(outside - 1, size, 2 / (referenceSize + 1)) < OUTSIDE_RANGE_ALPHA;
}

function severityOf(share: number): Severity {
  return share >= STREAM_WARNING_SHARE ? 'warning' : 'info';
}

function examples(values: readonly string[]): string {
  const shown = values.slice(0, 3).map((v) => (v.length > 40 ? `'${v.slice(0, 40)}…'` : `'${v}'`));
  return `${shown.join(', ')}${values.length > 3 ? `, and ${values.length - 3} more` : ''}`;
}

function missingCheck(name: string, reference: ColumnAccumulator, current: ColumnAccumulator): Finding | null {
  if (current.rows === 0) return null;
  const currentShare = current.missing / current.rows;
  const referenceShare = reference.rows === 0 ? 0 : reference.missing / reference.rows;
  if (current.missing === current.rows)
    return finding(
      'error',
      'missing',
      name,
      `every one of the window's ${current.rows} rows lacks ${name} (reference: ${percent(referenceShare)} missing)`,
      'the traffic no longer carries this field: check the client, or the field mapping, before trusting its drift',
      { share: currentShare, reference: referenceShare, rows: current.rows },
    );
  if (currentShare - referenceShare < MISSING_EXCESS) return null;
  return finding(
    'warning',
    'missing',
    name,
    `${percent(currentShare)} of the window's values are missing (reference: ${percent(referenceShare)})`,
    'more requests arrive without this field than in the reference: find which clients send them',
    { share: currentShare, reference: referenceShare, rows: current.rows },
  );
}

function newCategoriesCheck(name: string, reference: ColumnAccumulator, current: ColumnAccumulator): Finding | null {
  const known = reference.valueCounts();
  const unseen: string[] = [];
  let rows = 0;
  let present = 0;
  for (const [value, n] of current.valueCounts()) {
    present += n;
    if (known.has(value)) continue;
    unseen.push(value);
    rows += n;
  }
  if (unseen.length === 0 || present === 0) return null;
  const share = rows / present;
  return finding(
    severityOf(share),
    'new-categories',
    name,
    `${unseen.length} value${unseen.length === 1 ? '' : 's'} the reference never has (${examples(unseen)}) in ${percent(share)} of the window's rows`,
    'the model has not seen these values: check how it handles them, or add them to the reference once they are expected',
    { values: unseen.length, rows, share },
  );
}

function rangeOf(values: Float64Array): { min: number; max: number } | null {
  if (values.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

function outOfRangeCheck(name: string, reference: ColumnAccumulator, current: ColumnAccumulator): Finding | null {
  const range = rangeOf(reference.numbers());
  const values = current.numbers();
  if (range === null || values.length === 0) return null;
  let below = 0;
  let above = 0;
  for (const v of values) {
    if (v < range.min) below += 1;
    else if (v > range.max) above += 1;
  }
  const share = (below + above) / values.length;
  if (!beyondChance(below + above, values.length, reference.numeric)) return null;
  return finding(
    severityOf(share),
    'out-of-range',
    name,
    `${below + above} of the window's ${values.length} values (${percent(share)}) lie outside the reference's range [${range.min}, ${range.max}]: ${below} below, ${above} above`,
    'the model extrapolates on these inputs: check the values at their source, and its accuracy on them',
    { below, above, share, min: range.min, max: range.max },
  );
}

function textLengthCheck(name: string, reference: ColumnAccumulator, current: ColumnAccumulator): Finding | null {
  const referenceWords = reference.texts().map(words);
  const currentWords = current.texts().map(words);
  if (referenceWords.length === 0 || currentWords.length === 0) return null;
  const min = referenceWords.reduce((a, b) => Math.min(a, b), Infinity);
  const max = referenceWords.reduce((a, b) => Math.max(a, b), -Infinity);
  const shorter = currentWords.filter((n) => n < min).length;
  const longer = currentWords.filter((n) => n > max).length;
  const share = (shorter + longer) / currentWords.length;
  if (!beyondChance(shorter + longer, currentWords.length, referenceWords.length)) return null;
  return finding(
    severityOf(share),
    'text-length',
    name,
    `${percent(share)} of the window's texts have a length the reference never has (${min}–${max} words): ${shorter} shorter, ${longer} longer`,
    'longer inputs cost more and may be truncated; shorter ones may be probes or broken clients: look at a few',
    { shorter, longer, share, minWords: min, maxWords: max },
  );
}

/**
 * The data-quality checks that apply to a window of live rows, each against the reference: missing values beyond the
 * reference's share, categories the reference never has, numbers outside its range and texts outside its lengths
 * (more of them than chance puts there: a binomial test at 0.1%).
 * Columns the reference lacks are not checked; a column the window lacks entirely is an error.
 */
export function streamChecks(
  reference: ColumnTable,
  current: ColumnTable,
  types: Readonly<Record<string, ColumnType>> = {},
): Finding[] {
  const findings: Finding[] = [];
  for (const [name, referenceColumn] of reference.columns) {
    const currentColumn = current.columns.get(name);
    if (currentColumn === undefined) {
      findings.push(
        finding(
          'error',
          'missing',
          name,
          `no row of the window has ${name}`,
          'the traffic no longer carries this field: check the client, or the field mapping, before trusting its drift',
          { share: 1, rows: current.rows },
        ),
      );
      continue;
    }
    const missing = missingCheck(name, referenceColumn, currentColumn);
    if (missing !== null) findings.push(missing);
    const type = types[name] ?? inferType([referenceColumn]).type;
    const check =
      type === 'numeric'
        ? outOfRangeCheck(name, referenceColumn, currentColumn)
        : type === 'text'
          ? textLengthCheck(name, referenceColumn, currentColumn)
          : type === 'categorical' || type === 'boolean'
            ? newCategoriesCheck(name, referenceColumn, currentColumn)
            : null;
    if (check !== null) findings.push(check);
  }
  return findings;
}

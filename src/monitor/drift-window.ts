import { isJsonObject, isNumberOrNull } from '../core/json-object.js';
import type { ColumnType } from '../data/column-types.js';
import type { ColumnTable } from '../data/read-columns.js';
import { tableOfRows } from '../data/table-of-rows.js';
import { compareTables, type ComparisonOptions } from '../drift/compare-tables.js';
import type { Finding, Severity } from '../quality/finding.js';
import { streamChecks } from '../quality/stream-checks.js';

/** One column's drift in one window. */
export interface WindowColumn {
  name: string;
  test: string;
  /** Null when not finite (a distance with no scale). */
  statistic: number | null;
  pValue: number | null;
  effectSize: number | null;
  threshold: number;
  drifted: boolean;
}

/** A data-quality finding of one window, without its advice (docs/operations.md has it). */
export interface WindowFinding {
  severity: Severity;
  check: string;
  column: string | null;
  message: string;
}

/** One window of live rows compared with the reference: a point of the drift time series. */
export interface DriftWindow {
  /** 0 for the first window of the session. */
  index: number;
  /** When the window opened and closed (ISO 8601). */
  start: string;
  end: string;
  /** Rows compared: every row of the window, or a uniform sample of them when it had more than the monitor keeps. */
  rows: number;
  /** Rows the window had. */
  seenRows: number;
  /** False when the window had fewer rows than the minimum: nothing was tested. */
  tested: boolean;
  columns: WindowColumn[];
  skipped: { name: string; reason: string }[];
  drifted: boolean;
  driftedShare: number;
  findings: WindowFinding[];
}

export interface WindowInput {
  index: number;
  start: Date;
  end: Date;
  rows: readonly Readonly<Record<string, unknown>>[];
  seenRows: number;
}

export interface WindowSettings {
  comparison: ComparisonOptions;
  types: Readonly<Record<string, ColumnType>>;
  /** Windows with fewer rows are recorded untested. */
  minRows: number;
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function quality(finding: Finding): WindowFinding {
  return { severity: finding.severity, check: finding.check, column: finding.column, message: finding.message };
}

/** Compares one window of live rows with the reference (the columns of the reference only) and runs the stream checks. */
export function driftWindow(reference: ColumnTable, input: WindowInput, settings: WindowSettings): DriftWindow {
  const base = {
    index: input.index,
    start: input.start.toISOString(),
    end: input.end.toISOString(),
    rows: input.rows.length,
    seenRows: input.seenRows,
  };
  if (input.rows.length < settings.minRows)
    return {
      ...base,
      tested: false,
      columns: [],
      skipped: [],
      drifted: false,
      driftedShare: 0,
      findings: [],
    };
  const current = tableOfRows(`window ${input.index}`, input.rows, [...reference.columns.keys()]);
  const compared = compareTables(reference, current, settings.comparison, 'window');
  return {
    ...base,
    tested: true,
    columns: compared.columns.map((c) => ({
      name: c.name,
      test: c.test,
      statistic: finiteOrNull(c.statistic),
      pValue: finiteOrNull(c.pValueAdjusted ?? c.pValue),
      effectSize: finiteOrNull(c.effectSize),
      threshold: c.threshold,
      drifted: c.drifted,
    })),
    skipped: compared.skipped,
    drifted: compared.dataset.drifted,
    driftedShare: compared.dataset.driftedShare,
    findings: streamChecks(reference, current, settings.types).map(quality),
  };
}

function isWindowColumn(value: unknown): value is WindowColumn {
  return (
    isJsonObject(value) &&
    typeof value.name === 'string' &&
    typeof value.test === 'string' &&
    isNumberOrNull(value.statistic) &&
    isNumberOrNull(value.pValue) &&
    isNumberOrNull(value.effectSize) &&
    typeof value.threshold === 'number' &&
    typeof value.drifted === 'boolean'
  );
}

function isWindowFinding(value: unknown): value is WindowFinding {
  return (
    isJsonObject(value) &&
    (value.severity === 'error' || value.severity === 'warning' || value.severity === 'info') &&
    typeof value.check === 'string' &&
    (value.column === null || typeof value.column === 'string') &&
    typeof value.message === 'string'
  );
}

function isSkipped(value: unknown): value is { name: string; reason: string } {
  return isJsonObject(value) && typeof value.name === 'string' && typeof value.reason === 'string';
}

/** Whether a stored value is a drift window (statistics that were not finite are stored as null). */
export function isDriftWindow(value: unknown): value is DriftWindow {
  return (
    isJsonObject(value) &&
    typeof value.index === 'number' &&
    typeof value.start === 'string' &&
    typeof value.end === 'string' &&
    typeof value.rows === 'number' &&
    typeof value.seenRows === 'number' &&
    typeof value.tested === 'boolean' &&
    Array.isArray(value.columns) &&
    value.columns.every(isWindowColumn) &&
    Array.isArray(value.skipped) &&
    value.skipped.every(isSkipped) &&
    typeof value.drifted === 'boolean' &&
    typeof value.driftedShare === 'number' &&
    Array.isArray(value.findings) &&
    value.findings.every(isWindowFinding)
  );
}

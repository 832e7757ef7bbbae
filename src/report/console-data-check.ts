import { thresholdLines } from './console-thresholds.js';
import type { DataCheckJson } from '../quality/run-data-check.js';
import { renderTable } from './table.js';

function num(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : Number.isInteger(value)
      ? String(value)
      : value.toPrecision(4);
}

/** The terminal report of a data check: the column profiles, then the findings by severity with their advice. */
export function renderDataCheck(d: DataCheckJson): string {
  const out: string[] = [];
  out.push(
    `data check: ${d.files.map((f) => `${f.name === '' ? '' : `${f.name} = `}${f.path} (${f.rows} rows)`).join(', ')}; run ${d.runId}`,
  );
  const rows = d.columns.map((c) => [
    c.name,
    c.type,
    num(c.missing),
    num(c.distinct),
    c.topShare === null ? '—' : `${(c.topShare * 100).toFixed(1)}%`,
    c.numeric === null
      ? c.textLength === null
        ? ''
        : `words ${c.textLength.min}–${c.textLength.max}, median ${num(c.textLength.median)}`
      : `${num(c.numeric.min)} … ${num(c.numeric.median)} … ${num(c.numeric.max)}`,
  ]);
  out.push('', renderTable(['column', 'type', 'missing', 'distinct', 'top value', 'range'], rows));
  out.push('', `${d.counts.error} errors, ${d.counts.warning} warnings, ${d.counts.info} notes`);
  for (const f of d.findings) {
    out.push(
      `${f.severity.toUpperCase().padEnd(7)} ${f.check}${f.column === null ? '' : ` (${f.column})`}: ${f.message}`,
    );
    out.push(`        ${f.advice}`);
  }
  // Summaries stored before thresholds existed have none.
  out.push(...thresholdLines(d.thresholds ?? []));
  return out.join('\n');
}

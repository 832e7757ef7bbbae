import type { CompareJson } from '../eval/compare.js';
import { formatMs } from '../core/units.js';
import { renderTable } from './table.js';

function format(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value.toPrecision(4);
}

function pValue(p: number): string {
  if (!Number.isFinite(p)) return '—';
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

/** The human-readable report of `yardstick compare`. */
export function renderCompare(c: CompareJson): string {
  const out: string[] = [];
  out.push(
    `compare A ${c.a.runId} (${c.a.target}) with B ${c.b.runId} (${c.b.target}) on ${c.n} shared cases${c.onlyInA + c.onlyInB > 0 ? ` (left out: ${c.onlyInA} only in A, ${c.onlyInB} only in B)` : ''}`,
  );
  const rows = c.metrics.map((m) => [
    m.name,
    format(m.a),
    format(m.b),
    `${m.difference >= 0 ? '+' : ''}${format(m.difference)}`,
    m.ci === null ? '—' : `[${format(m.ci[0])}, ${format(m.ci[1])}]`,
    m.test,
    pValue(m.pValue),
    pValue(m.pAdjusted),
    m.significant ? 'yes' : 'no',
  ]);
  out.push(
    '',
    renderTable(
      [
        'metric',
        'A',
        'B',
        'B − A',
        `${Math.round((1 - c.alpha) * 100)}% interval`,
        'test',
        'p',
        'p (Holm)',
        'significant',
      ],
      rows,
    ),
  );
  for (const l of c.latency) {
    out.push(
      `${l.metric} median A ${formatMs(l.aMedianMs)} B ${formatMs(l.bMedianMs)} (B − A ${formatMs(l.differenceMs)}), Mann–Whitney p ${pValue(l.pValue)}`,
    );
  }
  const list = (ids: string[]): string =>
    ids.length <= 10 ? ids.join(', ') : `${ids.slice(0, 10).join(', ')} … (${ids.length})`;
  out.push(
    '',
    `regressions (passed in A, failed in B): ${c.flipped.regressions.length === 0 ? 'none' : list(c.flipped.regressions)}`,
  );
  out.push(`fixes (failed in A, passed in B): ${c.flipped.fixes.length === 0 ? 'none' : list(c.flipped.fixes)}`);
  return out.join('\n');
}

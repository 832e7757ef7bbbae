import { thresholdLines } from './console-thresholds.js';
import type { DriftJson } from '../drift/run-drift.js';
import { renderTable } from './table.js';

function num(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return Math.abs(value) !== 0 && Math.abs(value) < 1e-3 ? value.toExponential(2) : value.toFixed(4);
}

/** The terminal report of a drift run: one row per column, the skipped ones and the dataset verdict. */
export function renderDrift(d: DriftJson): string {
  const out: string[] = [];
  out.push(
    `drift: ${d.current.path} (${d.current.rows} rows) against ${d.reference.path} (${d.reference.rows} rows); run ${d.runId}`,
  );
  const rows = d.columns.map((c) => [
    c.name + (c.role === 'feature' ? '' : ` (${c.role})`),
    c.type,
    c.test,
    num(c.statistic),
    num(c.pValueAdjusted ?? c.pValue),
    num(c.effectSize),
    num(c.threshold),
    c.drifted ? 'DRIFT' : 'ok',
  ]);
  out.push('', renderTable(['column', 'type', 'test', 'statistic', 'p-value', 'effect', 'threshold', 'verdict'], rows));
  const notes = d.columns.flatMap((c) => [
    ...(c.text === null
      ? []
      : [
          `${c.name}: words per value ${c.text.lengthTest} ${num(c.text.lengthStatistic)}${c.text.lengthDrifted ? ' (drifted)' : ''}; out-of-vocabulary rate ${num(c.text.outOfVocabularyRate)} of ${c.text.referenceVocabulary} reference words`,
        ]),
    ...c.notes.filter((n) => !n.startsWith('KS ') && !n.startsWith('vocabulary:')).map((n) => `${c.name}: ${n}`),
  ]);
  if (notes.length > 0) out.push('', ...notes);
  if (d.skipped.length > 0) out.push('', 'not analysed:', ...d.skipped.map((s) => `  ${s.name}: ${s.reason}`));
  const ds = d.dataset;
  const rule =
    ds.method === 'share'
      ? `at least ${(ds.shareThreshold * 100).toFixed(0)}% of columns drifted`
      : `any column drifted after ${ds.method === 'bh' ? 'Benjamini–Hochberg' : 'Bonferroni'} adjustment`;
  out.push(
    '',
    `dataset: ${ds.drifted ? 'DRIFTED' : 'no drift'} — ${ds.driftedColumns.length} of ${ds.testedColumns} columns drifted (${(ds.driftedShare * 100).toFixed(1)}%); rule: ${rule}`,
  );
  out.push(
    "p-value tests count as drift only with at least a small effect (KS D ≥ 0.1, Cramér's V ≥ 0.1, |Cohen's h| ≥ 0.2); docs/drift.md",
  );
  // Summaries stored before thresholds existed have none.
  out.push(...thresholdLines(d.thresholds ?? []));
  return out.join('\n');
}

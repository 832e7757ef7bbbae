import type { MetricsJson } from '../runs/metrics-run.js';
import { renderTable } from './table.js';

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 ? value.toFixed(1) : value.toPrecision(4);
}

/** The human-readable report of `yardstick metrics`: metrics with intervals, then the confusion matrix. */
export function renderMetrics(summary: MetricsJson): string {
  const out: string[] = [];
  out.push(`${summary.file}: ${summary.n} rows, ${summary.task} (${summary.taskSource}); run ${summary.runId}`);
  const level = `${Math.round(summary.confidence * 100)}% interval`;
  const rows = Object.entries(summary.metrics).map(([name, m]) => [
    name,
    format(m.value),
    m.ci === null ? '—' : `[${format(m.ci[0])}, ${format(m.ci[1])}]`,
  ]);
  out.push('', renderTable(['metric', 'value', level], rows));
  if (summary.confusionMatrix !== null) {
    const { labels, counts } = summary.confusionMatrix;
    out.push('', 'confusion matrix (rows: true, columns: predicted)');
    out.push(
      renderTable(
        ['', ...labels.map(String)],
        counts.map((row, i) => [String(labels[i]), ...row.map(String)]),
      ),
    );
  }
  for (const note of summary.notes) out.push(`note: ${note}`);
  out.push('', 'accuracy: Wilson interval; others: percentile bootstrap over rows (see docs/metrics.md)');
  return out.join('\n');
}

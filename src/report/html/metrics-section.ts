import type { MetricsJson } from '../../runs/metrics-run.js';
import { chart, confusionMarks, missingChart, Plot } from './charts.js';
import { cellNumber, escapeHtml, htmlTable } from './escape.js';

function confusion(m: MetricsJson): string {
  const frame = { id: 'confusion-matrix', title: 'confusion matrix' };
  if (m.confusionMatrix === null)
    return missingChart(
      frame,
      m.task === 'regression' ? 'a regression task has no confusion matrix' : 'the file has no prediction column',
    );
  const { labels, counts } = m.confusionMatrix;
  const data = counts.flatMap((row, i) =>
    row.map((n, j) => ({ expected: String(labels[i]), predicted: String(labels[j]), n })),
  );
  return chart(
    { ...frame, note: 'rows: true label; columns: predicted label; cells: rows of the file' },
    {
      height: 80 + labels.length * 40,
      marginLeft: 120,
      x: { label: 'predicted' },
      y: { label: 'true' },
      color: { scheme: 'blues' },
      marks: confusionMarks(data),
    },
  );
}

function reliability(m: MetricsJson): string {
  const frame = { id: 'calibration', title: 'calibration (reliability diagram)' };
  const bins = m.reliability ?? [];
  if (bins.length === 0)
    return missingChart(frame, 'needs a binary task with probabilities (a score column in [0, 1], or --proba columns)');
  return chart(
    {
      ...frame,
      note: 'each dot: a bin of predicted probabilities (10 equal-width bins; empty ones left out), its mean prediction against the share of positives; the diagonal is perfect calibration; dot size: rows',
    },
    {
      x: { label: 'mean predicted probability', domain: [0, 1], grid: true },
      y: { label: 'fraction of positives', domain: [0, 1], grid: true },
      r: { range: [2, 9] },
      marks: [
        Plot.line(
          [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
          { x: 'x', y: 'y', stroke: '#bbbbbb', strokeDasharray: '4,3' },
        ),
        Plot.line(bins, { x: 'meanPredicted', y: 'fractionPositive', stroke: '#4c78a8' }),
        Plot.dot(bins, { x: 'meanPredicted', y: 'fractionPositive', r: 'count', fill: '#4c78a8' }),
      ],
    },
  );
}

/** The report section of a metrics run: metrics with intervals, the confusion matrix and the reliability diagram. */
export function metricsSection(m: MetricsJson): string {
  const rows = Object.entries(m.metrics).map(([name, v]) => [
    name,
    cellNumber(v.value, 4),
    v.ci === null ? '—' : `[${cellNumber(v.ci[0], 4)}, ${cellNumber(v.ci[1], 4)}]`,
  ]);
  return [
    `<h3>metrics of ${escapeHtml(m.file)}</h3>`,
    `<p>${escapeHtml(m.task)} (${escapeHtml(m.taskSource)}), ${m.n} rows${m.droppedRows > 0 ? `, ${m.droppedRows} dropped` : ''}. Run <code>${escapeHtml(m.runId)}</code>.</p>`,
    htmlTable(['metric', 'value', `${Math.round(m.confidence * 100)}% interval`], rows),
    confusion(m),
    reliability(m),
    ...m.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`),
  ].join('\n');
}

import type { DriftWindow } from '../../monitor/drift-window.js';
import type { ProxyJson } from '../../proxy/proxy-summary.js';
import { renderProxy } from '../console-proxy.js';
import { chart, missingChart, Plot } from './charts.js';
import { cellNumber, escapeHtml, htmlTable } from './escape.js';

/** One column's value in one window, for the charts. */
interface ColumnPoint {
  column: string;
  end: Date;
  effect: number | null;
  pValue: number | null;
  threshold: number;
  test: string;
  drifted: boolean;
}

function points(windows: readonly DriftWindow[]): ColumnPoint[] {
  return windows
    .filter((w) => w.tested)
    .flatMap((w) =>
      w.columns.map((c) => ({
        column: c.name,
        end: new Date(w.end),
        effect: c.effectSize,
        pValue: c.pValue,
        threshold: c.threshold,
        test: c.test,
        drifted: c.drifted,
      })),
    );
}

/** One value per column per window, as lines by column with the drifted windows in red. */
function columnSeriesMarks(
  points: readonly { end: Date; column: string; y: number; drifted: boolean }[],
): Plot.Markish[] {
  return [
    Plot.line(points, { x: 'end', y: 'y', stroke: 'column' }),
    Plot.dot(points, { x: 'end', y: 'y', stroke: 'column', r: 2.5 }),
    Plot.dot(
      points.filter((p) => p.drifted),
      { x: 'end', y: 'y', fill: '#d62728', r: 4.5 },
    ),
  ];
}

function effectChart(data: readonly ColumnPoint[]): string {
  const frame = { id: 'drift-effect', title: 'drift score (effect size) per column over time' };
  const shown = data.flatMap((p) => (p.effect === null ? [] : [{ ...p, y: p.effect }]));
  if (shown.length === 0) return missingChart(frame, 'no window was tested yet');
  return chart(
    {
      ...frame,
      note: "each point: a closed window compared with the reference, scored by the test's effect size (KS D, Cramér's V, |Cohen's h|, or the distance itself), so columns share one scale; red points: the column drifted in that window",
    },
    {
      x: { label: 'window end', type: 'utc' },
      y: { label: 'effect size', grid: true },
      color: { legend: true },
      marks: columnSeriesMarks(shown),
    },
  );
}

/** p-values below it are drawn at it, on the log scale. */
const P_FLOOR = 1e-12;

function pValueChart(data: readonly ColumnPoint[]): string {
  const frame = { id: 'drift-p-value', title: 'drift p-value per column over time' };
  const shown = data.flatMap((p) => (p.pValue === null ? [] : [{ ...p, y: Math.max(p.pValue, P_FLOOR) }]));
  if (shown.length === 0)
    return missingChart(frame, 'no tested column has a p-value (distance tests such as Jensen–Shannon give none)');
  const thresholds = [...new Set(shown.map((p) => p.threshold))];
  return chart(
    {
      ...frame,
      note: `log scale, values below ${P_FLOOR} drawn at it; dashed: the threshold (${thresholds.join(', ')}); a column drifts when its p-value is below it and its effect is at least the minimum`,
    },
    {
      x: { label: 'window end', type: 'utc' },
      y: { label: 'p-value', type: 'log', grid: true, tickFormat: '.0e' },
      color: { legend: true },
      marks: [
        ...thresholds.map((t) => Plot.ruleY([t], { stroke: '#888888', strokeDasharray: '4,3' })),
        ...columnSeriesMarks(shown),
      ],
    },
  );
}

function windowTable(windows: readonly DriftWindow[]): string {
  const rows = windows.map((w) => [
    String(w.index),
    w.end,
    w.seenRows === w.rows ? String(w.rows) : `${w.rows} of ${w.seenRows}`,
    !w.tested ? 'not tested (too few rows)' : w.drifted ? 'drifted' : 'stable',
    w.columns
      .filter((c) => c.drifted)
      .map((c) => c.name)
      .join(', ') || '—',
    w.findings.length === 0 ? '—' : w.findings.map((f) => `${f.severity}: ${f.message}`).join('; '),
  ]);
  return htmlTable(['window', 'ended', 'rows', 'verdict', 'drifted columns', 'data quality'], rows, [4, 5]);
}

/**
 * The report section of a proxy session: what passed through, and with a reference the drift time series (the
 * effect size and p-value of each column per window) and each window's verdict and data-quality findings; with a
 * capacity, the replica advice.
 */
export function proxySection(summary: ProxyJson, windows: readonly DriftWindow[]): string {
  const parts = [
    `<h3>proxy ${escapeHtml(summary.listen)} → ${escapeHtml(summary.upstream)}</h3>`,
    `<pre>${escapeHtml(renderProxy(summary))}</pre>`,
  ];
  if (summary.drift !== undefined && summary.drift !== null) {
    const data = points(windows);
    parts.push(effectChart(data), pValueChart(data), windowTable(windows));
  }
  const scaling = summary.scaling;
  if (scaling !== undefined && scaling !== null)
    parts.push(
      htmlTable(
        ['load', 'requests/s', 'replicas needed'],
        [
          ['last minute', cellNumber(scaling.currentPerS, 3), String(scaling.neededNow)],
          ["last hour's peak minute", cellNumber(scaling.peakPerS, 3), String(scaling.neededAtPeak)],
        ],
      ),
      `<p>${escapeHtml(`${scaling.message}; one replica sustains ${cellNumber(scaling.perReplicaPerS, 3)} requests/s (${scaling.source}).`)}</p>`,
    );
  return parts.join('\n');
}

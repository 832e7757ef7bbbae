import type { EvalTrend, TrendChange } from '../../eval/eval-trend.js';
import { chart, missingChart, Plot } from './charts.js';
import { cellNumber, escapeHtml, htmlTable } from './escape.js';
import { page } from './page.js';

interface MetricPoint {
  target: string;
  runId: string;
  at: Date;
  value: number;
  low: number | null;
  high: number | null;
}

function metricChart(trend: EvalTrend, metric: string): string {
  const data: MetricPoint[] = trend.series.flatMap((s) =>
    s.points.flatMap((p) => {
      const m = p.metrics[metric];
      return m === undefined
        ? []
        : [
            {
              target: s.target,
              runId: p.runId,
              at: new Date(p.at),
              value: m.value,
              low: m.ci?.[0] ?? null,
              high: m.ci?.[1] ?? null,
            },
          ];
    }),
  );
  const frame = { id: `trend-${metric}`, title: `${metric} over time` };
  if (data.length === 0) return missingChart(frame, `no run has ${metric}`);
  const changes = trend.series.flatMap((s) =>
    s.changes
      .filter((c) => c.metric === metric)
      .map((c) => ({ target: s.target, at: new Date(c.at), value: c.b, direction: c.direction })),
  );
  const intervals = data.filter((d) => d.low !== null && d.high !== null);
  return chart(
    {
      ...frame,
      note: `each point: a run, with its ${trend.series.length === 1 ? '' : 'target by color and its '}interval as a vertical bar; ▲/▼ in green/red: significantly better/worse than the run before on their shared cases (paired tests, Holm-adjusted, ${trend.alpha})`,
    },
    {
      x: { label: 'run created', type: 'utc' },
      y: { label: metric, grid: true },
      color: { legend: trend.series.length > 1 },
      marks: [
        Plot.ruleX(intervals, { x: 'at', y1: 'low', y2: 'high', stroke: 'target', strokeOpacity: 0.5 }),
        Plot.line(data, { x: 'at', y: 'value', stroke: 'target' }),
        Plot.dot(data, { x: 'at', y: 'value', stroke: 'target', fill: 'white', r: 3 }),
        Plot.text(
          changes.filter((c) => c.direction === 'worse'),
          { x: 'at', y: 'value', text: () => '▼', fill: '#d62728', dy: 12, fontSize: 14 },
        ),
        Plot.text(
          changes.filter((c) => c.direction === 'better'),
          { x: 'at', y: 'value', text: () => '▲', fill: '#2ca02c', dy: -12, fontSize: 14 },
        ),
      ],
    },
  );
}

function changeRow(target: string, c: TrendChange): string[] {
  return [
    target,
    c.metric,
    `${c.from} → ${c.to}`,
    `${cellNumber(c.a)} → ${cellNumber(c.b)}`,
    `${c.difference >= 0 ? '+' : ''}${cellNumber(c.difference)}`,
    c.pAdjusted.toPrecision(2),
    String(c.sharedCases),
    c.direction,
  ];
}

/** A suite's metrics over its runs, by target, with intervals and the significant changes between consecutive runs. */
export function trendSection(trend: EvalTrend): string {
  const metrics = [...new Set(trend.series.flatMap((s) => s.points.flatMap((p) => Object.keys(p.metrics))))];
  const runs = trend.series.reduce((n, s) => n + s.points.length, 0);
  const changes = trend.series.flatMap((s) => s.changes.map((c) => changeRow(s.target, c)));
  const notCompared = trend.series.flatMap((s) => s.notCompared);
  const failing = trend.series.flatMap((s) =>
    s.points.filter((p) => p.failing.length > 0).map((p) => [s.target, p.runId, p.at, p.failing.join('; ')]),
  );
  return [
    `<h3>${escapeHtml(trend.suite)}</h3>`,
    `<p>${escapeHtml(`${runs} completed run${runs === 1 ? '' : 's'} against ${trend.series.map((s) => s.target).join(', ') || 'no target'}.`)}</p>`,
    ...metrics.map((m) => metricChart(trend, m)),
    '<h3>significant changes</h3>',
    changes.length === 0
      ? '<p>No metric changed beyond chance between consecutive runs.</p>'
      : htmlTable(
          ['target', 'metric', 'runs', 'value', 'difference', 'p (Holm)', 'shared cases', 'direction'],
          changes,
        ),
    ...(failing.length === 0
      ? []
      : ['<h3>runs that failed thresholds</h3>', htmlTable(['target', 'run', 'created', 'failing'], failing, [3])]),
    ...notCompared.map((n) => `<p class="note">${escapeHtml(`${n.from} → ${n.to} not compared: ${n.reason}`)}</p>`),
  ].join('\n');
}

/** The page of `yardstick report --trend`. */
export function renderTrendReport(trend: EvalTrend, config: unknown): string {
  return page(`yardstick trend: ${trend.suite}`, ['<h2>trend</h2>', trendSection(trend)], null, config);
}

import type { TuneJson } from '../../tuning/tune-json.js';
import { trialsInOrder, tuneFindings, tuneHeadline, tuneRows } from '../tune-text.js';
import { chart, Plot } from './charts.js';
import { escapeHtml, htmlTable } from './escape.js';

/** A tuning study: every trial's metric against its p95 latency (finalists, the front and the pick marked), the table, the findings. */
export function tuneSection(t: TuneJson): string {
  const points = trialsInOrder(t).flatMap(({ trial, last }) =>
    last.p95LatencyMs === null
      ? []
      : [
          {
            trial: trial.name,
            p95: last.p95LatencyMs.value,
            metric: last.accuracy.value,
            low: last.accuracy.interval?.[0] ?? last.accuracy.value,
            high: last.accuracy.interval?.[1] ?? last.accuracy.value,
            group:
              t.recommendation?.trial === trial.name
                ? 'recommended'
                : t.front.includes(trial.name)
                  ? 'front'
                  : last.rung === t.rungs.length
                    ? 'finalist'
                    : 'dropped early',
          },
        ],
  );
  const scatter = chart(
    {
      id: 'tune-tradeoff',
      title: `${t.metric} against p95 latency for every trial, at the furthest rung it reached`,
      note: 'Bars: the metric’s 95% interval. Trials dropped early were measured on fewer cases, so their intervals are wider.',
    },
    {
      x: { label: 'p95 latency (ms)', grid: true },
      y: { label: t.metric, grid: true },
      color: { legend: true, domain: ['recommended', 'front', 'finalist', 'dropped early'] },
      marks: [
        Plot.ruleX(points, { x: 'p95', y1: 'low', y2: 'high', stroke: 'group', strokeOpacity: 0.5 }),
        Plot.dot(points, { x: 'p95', y: 'metric', fill: 'group', r: 4 }),
        Plot.text(points, { x: 'p95', y: 'metric', text: 'trial', dy: -9, fontSize: 9 }),
      ],
    },
  );
  const { header, rows } = tuneRows(t);
  return [
    `<h3>Tuning ${escapeHtml(t.suite)}</h3>`,
    `<p>${escapeHtml(tuneHeadline(t))}.</p>`,
    scatter,
    htmlTable(header, rows, [0, 1, 8]),
    `<ul>${tuneFindings(t)
      .map((line) => `<li>${escapeHtml(line)}</li>`)
      .join('')}</ul>`,
  ].join('\n');
}

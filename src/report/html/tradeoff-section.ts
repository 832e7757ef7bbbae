import type { TradeoffJson } from '../../tradeoff/tradeoff.js';
import { chart, missingChart, msAxis, Plot } from './charts.js';
import { cellNumber, escapeHtml, htmlTable } from './escape.js';

/** The tradeoff of one suite's targets: accuracy against p95 latency with intervals, the frontier, the recommendation. */
export function tradeoffSection(suite: string, t: TradeoffJson | null, note: string | null): string {
  const title = `tradeoff on ${suite}`;
  if (t === null)
    return `<h3>${escapeHtml(title)}</h3>${missingChart({ id: 'tradeoff', title: 'accuracy against p95 latency' }, note ?? 'no tradeoff')}`;
  const data = t.candidates
    .filter((c) => c.p95LatencyMs !== null && c.accuracy.value !== null)
    .map((c) => ({
      target: c.target,
      latency: c.p95LatencyMs ?? 0,
      value: c.accuracy.value ?? 0,
      low: c.accuracy.ci?.[0] ?? c.accuracy.value ?? 0,
      high: c.accuracy.ci?.[1] ?? c.accuracy.value ?? 0,
      frontier: c.pareto ? 'Pareto frontier' : 'dominated',
    }));
  const figure =
    data.length === 0
      ? missingChart({ id: 'tradeoff', title: 'accuracy against p95 latency' }, 'no run measured latency')
      : chart(
          {
            id: 'tradeoff',
            title: `${t.metric} against p95 latency`,
            note: 'bars: 95% intervals of the metric; filled: on the Pareto frontier. Up and left is better.',
          },
          {
            x: msAxis('p95 latency (ms)', { log: true, inset: 40 }),
            marginRight: 80,
            y: { label: t.metric, grid: true },
            color: { legend: true, domain: ['Pareto frontier', 'dominated'], range: ['#4c78a8', '#bbbbbb'] },
            marks: [
              Plot.ruleX(data, { x: 'latency', y1: 'low', y2: 'high', stroke: 'frontier', strokeWidth: 2 }),
              Plot.dot(data, { x: 'latency', y: 'value', fill: 'frontier', r: 5 }),
              Plot.text(data, { x: 'latency', y: 'value', text: 'target', dx: 8, textAnchor: 'start' }),
            ],
          },
        );
  const rows = t.candidates.map((c) => [
    c.target,
    `${cellNumber(c.accuracy.value)} [${cellNumber(c.accuracy.ci?.[0])}, ${cellNumber(c.accuracy.ci?.[1])}]`,
    cellNumber(c.p95LatencyMs, 2),
    cellNumber(c.costPer1kRequests, 4),
    cellNumber(c.costPerCorrect, 6),
    c.energyPerRequestJ === null ? 'not measured' : cellNumber(c.energyPerRequestJ),
    c.pareto ? 'frontier' : `dominated by ${c.dominatedBy.join(', ')}`,
  ]);
  const r = t.recommendation;
  const recommendation =
    r === null
      ? '<p><strong>recommendation:</strong> no target meets every constraint.</p>'
      : `<p><strong>recommendation: ${escapeHtml(r.target)}</strong> — ${escapeHtml(r.reason)}${r.overlapsWith.length > 0 ? `; but its ${escapeHtml(t.metric)} interval overlaps ${escapeHtml(r.overlapsWith.join(', '))}: these cases cannot tell which is more accurate` : ''}.</p>`;
  return [
    `<h3>${escapeHtml(title)}</h3>`,
    figure,
    htmlTable(
      ['target', `${t.metric} [95%]`, 'p95 latency (ms)', 'cost / 1k', 'cost / correct', 'energy / request', 'Pareto'],
      rows,
    ),
    recommendation,
    ...t.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`),
  ].join('\n');
}

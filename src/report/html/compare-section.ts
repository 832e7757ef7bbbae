import type { CompareJson } from '../../eval/compare.js';
import { chart, Plot } from './charts.js';
import { cellNumber, escapeHtml, htmlTable } from './escape.js';

/** Two eval runs side by side: each metric's difference with its paired interval and test, latency, flipped cases. */
export function compareSection(c: CompareJson): string {
  const data = c.metrics
    .filter((m) => m.ci !== null)
    .map((m) => ({
      name: m.name,
      difference: m.difference,
      low: m.ci?.[0] ?? m.difference,
      high: m.ci?.[1] ?? m.difference,
      verdict: m.significant ? 'significant' : 'not significant',
    }));
  const figure = chart(
    {
      id: 'compare-differences',
      title: `B − A per metric with paired 95% intervals (n = ${c.n})`,
      note: `A: ${c.a.target} (${c.a.runId}); B: ${c.b.target} (${c.b.runId}). Significant: Holm-adjusted p < ${c.alpha}.`,
    },
    {
      height: 40 + data.length * 22,
      marginLeft: 140,
      x: { label: 'B − A', grid: true },
      y: { label: null },
      color: { legend: true, domain: ['significant', 'not significant'], range: ['#e45756', '#999999'] },
      marks: [
        Plot.ruleX([0]),
        Plot.ruleY(data, { y: 'name', x1: 'low', x2: 'high', stroke: 'verdict', strokeWidth: 3 }),
        Plot.dot(data, { y: 'name', x: 'difference', fill: 'verdict' }),
      ],
    },
  );
  return [
    `<h3>${escapeHtml(c.a.target)} (A) against ${escapeHtml(c.b.target)} (B) on ${escapeHtml(c.a.suite)}</h3>`,
    figure,
    htmlTable(
      ['metric', 'A', 'B', 'B − A', '95% interval', 'test', 'p', 'Holm p'],
      c.metrics.map((m) => [
        m.name,
        cellNumber(m.a, 4),
        cellNumber(m.b, 4),
        cellNumber(m.difference, 4),
        m.ci === null ? '—' : `[${cellNumber(m.ci[0], 4)}, ${cellNumber(m.ci[1], 4)}]`,
        m.test,
        cellNumber(m.pValue, 4),
        cellNumber(m.pAdjusted, 4),
      ]),
    ),
    htmlTable(
      ['latency', 'A median (ms)', 'B median (ms)', 'B − A (ms)', 'Mann–Whitney p'],
      c.latency.map((l) => [
        l.metric,
        cellNumber(l.aMedianMs, 2),
        cellNumber(l.bMedianMs, 2),
        cellNumber(l.differenceMs, 2),
        cellNumber(l.pValue, 4),
      ]),
    ),
    `<p>${c.flipped.regressions.length} case${c.flipped.regressions.length === 1 ? '' : 's'} passed in A and failed in B; ${c.flipped.fixes.length} the reverse.</p>`,
  ].join('\n');
}

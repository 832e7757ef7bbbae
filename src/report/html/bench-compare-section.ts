import type { BenchComparison } from '../../efficiency/bench-comparison.js';
import type { RepeatsComparison } from '../../efficiency/repeats-comparison.js';
import { formatRepeated } from '../console-bench-repeats.js';
import { chart, Plot } from './charts.js';
import { cellNumber, escapeHtml, htmlTable } from './escape.js';

function percent(value: number): string {
  return `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
}

function pText(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function findings(sentences: readonly string[]): string {
  return sentences.length === 0
    ? '<p><strong>no significant difference</strong></p>'
    : `<ul>${sentences.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`;
}

/** Two bench runs side by side: each latency statistic's relative difference with its bootstrap interval. */
export function benchCompareSection(c: BenchComparison): string {
  const data = c.differences.map((d) => ({
    name: `${d.metric} ${d.statistic}`,
    relative: d.relative * 100,
    low: d.relativeCi[0] * 100,
    high: d.relativeCi[1] * 100,
    verdict: d.significant ? 'significant' : 'not significant',
  }));
  const confidence = Math.round((1 - c.alpha) * 100);
  const figure = chart(
    {
      id: 'bench-compare',
      title: `B / A − 1 per latency statistic (%), with ${confidence}% bootstrap intervals over requests`,
      note: `A: ${c.a.target} (${c.a.runId}, ${c.a.completed} requests); B: ${c.b.target} (${c.b.runId}, ${c.b.completed} requests). Significant: Holm-adjusted p < ${c.alpha}; ${c.resamples} resamples.`,
    },
    {
      height: 40 + data.length * 18,
      marginLeft: 110,
      x: { label: 'B / A − 1 (%)', grid: true },
      // Rows in the comparison's order (metric by metric), not sorted by name.
      y: { label: null, domain: data.map((d) => d.name) },
      color: { legend: true, domain: ['significant', 'not significant'], range: ['#e45756', '#999999'] },
      marks: [
        Plot.ruleX([0]),
        Plot.ruleY(data, { y: 'name', x1: 'low', x2: 'high', stroke: 'verdict', strokeWidth: 3 }),
        Plot.dot(data, { y: 'name', x: 'relative', fill: 'verdict' }),
      ],
    },
  );
  return [
    `<h3>${escapeHtml(c.a.target)} (A, ${escapeHtml(c.a.runId)}) against ${escapeHtml(c.b.target)} (B, ${escapeHtml(c.b.runId)})</h3>`,
    findings(c.differences.filter((d) => d.significant).map((d) => d.sentence)),
    figure,
    htmlTable(
      [
        'metric',
        'stat',
        'A (ms)',
        'B (ms)',
        'B − A (ms)',
        `${confidence}% interval`,
        'B / A − 1',
        'interval',
        'p (Holm)',
      ],
      c.differences.map((d) => [
        d.metric,
        d.statistic,
        cellNumber(d.aMs, 2),
        cellNumber(d.bMs, 2),
        cellNumber(d.differenceMs, 2),
        `[${cellNumber(d.differenceCi[0], 2)}, ${cellNumber(d.differenceCi[1], 2)}]`,
        percent(d.relative),
        `[${percent(d.relativeCi[0])}, ${percent(d.relativeCi[1])}]`,
        pText(d.adjustedP),
      ]),
    ),
    ...c.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`),
  ].join('\n');
}

/** Two repeated benches side by side: each statistic's difference of means over the repeats (Welch). */
export function repeatsCompareSection(c: RepeatsComparison): string {
  const confidence = Math.round((1 - c.alpha) * 100);
  return [
    `<h3>${escapeHtml(c.a.target)} (A, ${escapeHtml(c.a.runId)}, ${c.a.repeats} repeats) against ${escapeHtml(c.b.target)} (B, ${escapeHtml(c.b.runId)}, ${c.b.repeats} repeats)</h3>`,
    findings(c.differences.filter((d) => d.significant).map((d) => d.sentence)),
    htmlTable(
      ['statistic', 'A mean', 'B mean', 'B − A', `${confidence}% interval (Welch)`, 'B / A − 1', 'p (Holm)'],
      c.differences.map((d) => [
        d.statistic,
        formatRepeated(d.aMean, d.unit),
        formatRepeated(d.bMean, d.unit),
        formatRepeated(d.difference, d.unit),
        d.differenceCi === null
          ? '—'
          : `[${formatRepeated(d.differenceCi[0], d.unit)}, ${formatRepeated(d.differenceCi[1], d.unit)}]`,
        percent(d.relative),
        pText(d.adjustedP),
      ]),
    ),
    ...c.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`),
  ].join('\n');
}

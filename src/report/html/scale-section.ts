import type { ScaleJson } from '../../jobs/scale-json.js';
import { amdahlSpeedup, gustafsonSpeedup } from '../../jobs/scaling-laws.js';
import { scaleFindings, scaleHeadline, scaleRows } from '../scale-text.js';
import { chart, Plot } from './charts.js';
import { cellNumber, escapeHtml, htmlTable } from './escape.js';

/** The fitted law's speedup on a fine grid of worker counts from the base to twice the largest count run. */
function fittedCurve(s: ScaleJson): { workers: number; speedup: number }[] {
  const a = s.analysis;
  if (a.fit === null || a.rows.length === 0) return [];
  const fraction = a.fit.serialFraction;
  const from = a.rows[0]?.workers ?? 1;
  const to = 2 * Math.max(...a.rows.map((r) => r.workers));
  const points: { workers: number; speedup: number }[] = [];
  for (let i = 0; i <= 60; i += 1) {
    const workers = from * (to / from) ** (i / 60);
    points.push({
      workers,
      speedup:
        a.law === 'amdahl' ? amdahlSpeedup(fraction, workers, a.baseWorkers) : gustafsonSpeedup(fraction, workers),
    });
  }
  return points;
}

/** A scaling study: the speedup measured per count (with intervals) beside the fitted law and ideal scaling, the table, the findings. */
export function scaleSection(s: ScaleJson): string {
  const a = s.analysis;
  const measured = a.rows.flatMap((r) =>
    r.speedup === null
      ? []
      : [
          {
            workers: r.workers,
            speedup: r.speedup.value,
            low: r.speedup.interval?.[0] ?? r.speedup.value,
            high: r.speedup.interval?.[1] ?? r.speedup.value,
          },
        ],
  );
  const curve = fittedCurve(s);
  const ideal = curve.map((p) => ({
    workers: p.workers,
    speedup: a.mode === 'strong' ? p.workers / a.baseWorkers : p.workers,
  }));
  const speedupChart = chart(
    {
      id: 'scale-speedup',
      title: `${a.mode === 'strong' ? 'Speedup' : 'Scaled speedup'} by worker count: measured (with ${Math.round(a.confidence * 100)}% intervals), the fitted ${a.law === 'amdahl' ? 'Amdahl' : 'Gustafson'} law, and ideal`,
      note: 'Dots: measured; solid: the fitted law; dashed: ideal (linear) scaling. Both axes logarithmic.',
    },
    {
      x: { label: 'workers', type: 'log', grid: true },
      y: { label: 'speedup', type: 'log', grid: true },
      marks: [
        Plot.line(ideal, { x: 'workers', y: 'speedup', stroke: '#bbbbbb', strokeDasharray: '4,3' }),
        Plot.line(curve, { x: 'workers', y: 'speedup', stroke: '#4c78a8' }),
        Plot.ruleX(measured, { x: 'workers', y1: 'low', y2: 'high', stroke: '#e45756' }),
        Plot.dot(measured, { x: 'workers', y: 'speedup', fill: '#e45756' }),
      ],
    },
  );
  const efficiencyChart = chart(
    {
      id: 'scale-efficiency',
      title: `Parallel efficiency by worker count; the bound ${a.efficiencyBound} marks the knee`,
    },
    {
      height: 220,
      x: { label: 'workers', type: 'log', grid: true },
      y: { label: 'efficiency', grid: true, zero: true },
      marks: [
        Plot.ruleY([a.efficiencyBound], { stroke: '#999999', strokeDasharray: '4,3' }),
        Plot.line(
          a.rows.flatMap((r) => (r.efficiency === null ? [] : [{ workers: r.workers, efficiency: r.efficiency }])),
          { x: 'workers', y: 'efficiency', stroke: '#4c78a8', marker: 'dot' },
        ),
      ],
    },
  );
  const { header, rows } = scaleRows(a);
  return [
    `<h3>${escapeHtml(s.command.join(' '))}</h3>`,
    `<p>${escapeHtml(scaleHeadline(s))}; ${s.executions.length} executions, ${s.failures} left out.</p>`,
    speedupChart,
    efficiencyChart,
    htmlTable(header, rows),
    `<ul>${scaleFindings(a)
      .map((line) => `<li>${escapeHtml(line)}</li>`)
      .join('')}</ul>`,
    `<details><summary>Each execution (a job-profile run of its own)</summary>${htmlTable(
      ['workers', 'size', 'repeat', 'role', 'wall s', 'CPU s', 's per unit', 'left out because', 'run'],
      s.executions.map((e) => [
        String(e.workers),
        String(e.size),
        String(e.repeat),
        e.role,
        cellNumber(e.wallS, 3),
        cellNumber(e.cpuS, 3),
        cellNumber(e.secondsPerUnit, 4),
        e.failure ?? '',
        e.runId,
      ]),
      [3, 7, 8],
    )}</details>`,
  ].join('\n');
}

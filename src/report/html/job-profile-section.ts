import type { JobProfileJson } from '../../jobs/job-profile-json.js';
import { jobEnding, jobUsageLine } from '../job-profile-text.js';
import { chart, Plot } from './charts.js';
import { cellNumber, escapeHtml, htmlTable } from './escape.js';

/** A profiled job: how it ended and what it used, its CPU over time with idle stretches shaded, and its progress. */
export function jobProfileSection(p: JobProfileJson): string {
  const utilization = chart(
    {
      id: 'job-utilization',
      title: 'CPU of the job’s process tree (% of one core) over time; idle stretches shaded',
      note: `A look every ${p.sampleIntervalMs} ms; dashed: the whole machine's CPU (% of all cores); idle: the tree under ${p.idleBelowPercent}% of one core for two looks or more.`,
    },
    {
      x: { label: 'seconds', grid: true },
      y: { label: 'CPU %', grid: true, zero: true },
      marks: [
        Plot.rectX(p.idle, { x1: 'fromS', x2: 'toS', fill: '#dddddd' }),
        Plot.line(p.samples, { x: 'atS', y: 'cpuPercent', stroke: '#4c78a8' }),
        Plot.line(p.samples, { x: 'atS', y: 'systemCpuPercent', stroke: '#bbbbbb', strokeDasharray: '3,3' }),
      ],
    },
  );
  const series = p.progress?.series ?? [];
  const progressCharts = series.map((s) => {
    const points = (p.progress?.events ?? []).flatMap((e) => {
      const value = e.values[s.name];
      return value === undefined ? [] : [{ atS: e.atS, value }];
    });
    return chart(
      { id: `job-progress-${s.name}`, title: `${s.name} over time (from the job’s output)` },
      {
        height: 200,
        x: { label: 'seconds', grid: true },
        y: { label: s.name, grid: true },
        marks: [Plot.line(points, { x: 'atS', y: 'value', stroke: '#e45756' })],
      },
    );
  });
  const table =
    series.length === 0
      ? ''
      : htmlTable(
          ['value', 'first', 'last', 'min', 'max', 'per second'],
          series.map((s) => [
            s.name,
            String(s.first),
            String(s.last),
            String(s.min),
            String(s.max),
            cellNumber(s.perS, 3),
          ]),
        );
  const tail = (name: string, lines: readonly string[]): string =>
    lines.length === 0
      ? ''
      : `<p><strong>${name} (end)</strong></p><pre>${escapeHtml(lines.slice(-15).join('\n'))}</pre>`;
  return [
    `<h3>${escapeHtml(p.command.join(' '))}</h3>`,
    `<p><strong>${escapeHtml(jobEnding(p))}:</strong> ${escapeHtml(jobUsageLine(p))}.</p>`,
    utilization,
    table,
    ...progressCharts,
    tail('stdout', p.stdoutTail),
    tail('stderr', p.stderrTail),
  ].join('\n');
}

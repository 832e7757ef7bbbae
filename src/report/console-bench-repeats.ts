import { formatMs } from '../core/units.js';
import type { BenchRepeatsJson, RepeatedStatistic } from '../efficiency/bench-repeats.js';
import { renderTable } from './table.js';

/** A repeated statistic's value in its unit. */
export function formatRepeated(value: number | null, unit: RepeatedStatistic['unit']): string {
  if (value === null) return '—';
  if (unit === 'ms') return formatMs(value);
  if (unit === 'share') return `${(value * 100).toFixed(2)}%`;
  return `${value.toFixed(1)}/s`;
}

/** Every headline statistic across the repeats: each run's value, mean ± sd, the interval of the mean and the spread. */
export function renderBenchRepeats(summary: BenchRepeatsJson): string {
  const out = [
    `${summary.repeats} repeats of one bench against ${summary.target.name}, ${summary.pauseS} s apart (run ${summary.runId})`,
    `runs: ${summary.runs.map((r) => `${r.runId} (${r.status}${r.validity === null ? '' : `, ${r.validity}`})`).join(', ')}`,
    '',
  ];
  const confidence = `${Math.round(summary.confidence * 100)}% CI of the mean`;
  const rows = summary.statistics.map((s) => [
    s.name,
    s.values.map((v) => formatRepeated(v, s.unit)).join('  '),
    formatRepeated(s.mean, s.unit),
    formatRepeated(s.sd, s.unit),
    s.ci === null ? '—' : `[${formatRepeated(s.ci[0], s.unit)}, ${formatRepeated(s.ci[1], s.unit)}]`,
    s.cv === null ? '—' : `${(s.cv * 100).toFixed(1)}%`,
  ]);
  out.push(renderTable(['statistic', 'per run', 'mean', 'sd', confidence, 'cv'], rows));
  for (const note of summary.notes) out.push(`note: ${note}`);
  return out.join('\n');
}

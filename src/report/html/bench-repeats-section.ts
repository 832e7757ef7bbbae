import type { BenchRepeatsJson } from '../../efficiency/bench-repeats.js';
import { formatRepeated } from '../console-bench-repeats.js';
import { escapeHtml, htmlTable } from './escape.js';

/** The repeats of a bench: each headline statistic per run, with its mean, spread and interval across runs. */
export function benchRepeatsSections(summary: BenchRepeatsJson): string[] {
  const confidence = Math.round(summary.confidence * 100);
  return [
    `<h2>repeats: ${summary.repeats} runs against ${escapeHtml(summary.target.name)}</h2>`,
    `<p>The same bench ${summary.repeats} times, ${summary.pauseS} s apart. A result that holds across runs, not within one: the interval is Student's t over the runs' values (n − 1 degrees of freedom).</p>`,
    htmlTable(
      ['statistic', ...summary.runs.map((_, i) => `run ${i + 1}`), 'mean', 'sd', `${confidence}% CI of the mean`, 'cv'],
      summary.statistics.map((s) => [
        s.name,
        ...s.values.map((v) => formatRepeated(v, s.unit)),
        formatRepeated(s.mean, s.unit),
        formatRepeated(s.sd, s.unit),
        s.ci === null ? '—' : `${formatRepeated(s.ci[0], s.unit)} – ${formatRepeated(s.ci[1], s.unit)}`,
        s.cv === null ? '—' : `${(s.cv * 100).toFixed(1)}%`,
      ]),
    ),
    ...summary.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`),
  ];
}

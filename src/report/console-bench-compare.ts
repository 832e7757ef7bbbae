import type { BenchComparison } from '../efficiency/bench-comparison.js';
import type { RepeatsComparison } from '../efficiency/repeats-comparison.js';
import { formatRepeated } from './console-bench-repeats.js';
import { formatMs } from '../core/units.js';
import { renderTable } from './table.js';

function signed(value: number, digits = 2): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
}

/** Two bench runs compared: every difference with its interval, the significant ones said in words first. */
export function renderBenchCompare(result: BenchComparison): string {
  const out = [
    `A ${result.a.runId} (${result.a.target}, ${result.a.completed} requests) → B ${result.b.runId} (${result.b.target}, ${result.b.completed} requests)`,
    `${Math.round((1 - result.alpha) * 100)}% percentile bootstrap over requests (${result.resamples} resamples); p-values Holm-corrected over ${result.differences.length} comparisons`,
    '',
  ];
  const significant = result.differences.filter((d) => d.significant);
  if (significant.length === 0) out.push('no significant difference');
  for (const d of significant) out.push(d.sentence);
  const rows = result.differences.map((d) => [
    d.metric,
    d.statistic,
    formatMs(d.aMs),
    formatMs(d.bMs),
    `${signed(d.differenceMs)} ms [${signed(d.differenceCi[0])}, ${signed(d.differenceCi[1])}]`,
    `${signed(d.relative * 100, 1)}% [${signed(d.relativeCi[0] * 100, 1)}, ${signed(d.relativeCi[1] * 100, 1)}]`,
    d.adjustedP < 0.001 ? '< 0.001' : d.adjustedP.toFixed(3),
    d.significant ? '*' : '',
  ]);
  if (rows.length > 0)
    out.push('', renderTable(['metric', 'stat', 'A', 'B', 'B − A', 'B / A − 1', 'p (Holm)', ''], rows));
  for (const note of result.notes) out.push(`note: ${note}`);
  return out.join('\n');
}

/** Two repeated benches compared over their repeats: Welch's interval of each difference of means, Holm-corrected. */
export function renderRepeatsCompare(result: RepeatsComparison): string {
  const out = [
    `A ${result.a.runId} (${result.a.target}, ${result.a.repeats} repeats) → B ${result.b.runId} (${result.b.target}, ${result.b.repeats} repeats)`,
    `each repeat one observation: Welch's t over the repeats, ${Math.round((1 - result.alpha) * 100)}% intervals; p-values Holm-corrected over ${result.differences.length} comparisons`,
    '',
  ];
  const significant = result.differences.filter((d) => d.significant);
  if (significant.length === 0) out.push('no significant difference');
  for (const d of significant) out.push(d.sentence);
  const rows = result.differences.map((d) => [
    d.statistic,
    formatRepeated(d.aMean, d.unit),
    formatRepeated(d.bMean, d.unit),
    d.differenceCi === null
      ? '—'
      : `${formatRepeated(d.difference, d.unit)} [${formatRepeated(d.differenceCi[0], d.unit)}, ${formatRepeated(d.differenceCi[1], d.unit)}]`,
    `${signed(d.relative * 100, 1)}%`,
    d.adjustedP < 0.001 ? '< 0.001' : d.adjustedP.toFixed(3),
    d.significant ? '*' : '',
  ]);
  if (rows.length > 0)
    out.push('', renderTable(['statistic', 'A mean', 'B mean', 'B − A', 'B / A − 1', 'p (Holm)', ''], rows));
  for (const note of result.notes) out.push(`note: ${note}`);
  return out.join('\n');
}

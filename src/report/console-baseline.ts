import { formatMs } from '../core/units.js';
import type { BaselineJson } from '../runs/baseline-run.js';
import { renderTradeoff } from './console-tradeoff.js';
import { renderTable } from './table.js';

function num(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(3);
}

/** The terminal report of `yardstick baseline`: each simple model's held-out accuracy and latency, and the tradeoff. */
export function renderBaseline(b: BaselineJson): string {
  const input = 'text' in b.input ? `text column '${b.input.text}'` : `features ${b.input.features.join(', ')}`;
  const out = [
    `baseline models for ${b.data}: label '${b.label}' (${b.classes.length} classes) from ${input}`,
    `split ${b.split.train} train / ${b.split.validation} validation / ${b.split.test} test (seed ${b.split.seed}); always answering '${b.majority.label}' scores ${num(b.majority.accuracy)} on the test split`,
    '',
  ];
  const rows = b.models.map((m) => [
    m.name,
    m.details.description,
    m.details.trainMs === undefined ? '—' : `${(m.details.trainMs / 1000).toFixed(1)} s`,
    m.accuracy === null ? '—' : `${num(m.accuracy.value)} [${num(m.accuracy.ci?.[0])}, ${num(m.accuracy.ci?.[1])}]`,
    m.f1Macro === null ? '—' : num(m.f1Macro.value),
    m.p95LatencyMs === null ? '—' : formatMs(m.p95LatencyMs),
    m.evalRunId,
  ]);
  out.push(
    renderTable(
      ['model', 'what it is', 'training', 'test accuracy [95%]', 'macro F1', 'p95 latency', 'eval run'],
      rows,
      2,
    ),
  );
  out.push('');
  if (b.tradeoff !== null) out.push(renderTradeoff(b.tradeoff));
  else if (b.tradeoffNote !== null) out.push(`tradeoff: ${b.tradeoffNote}`);
  out.push(
    '',
    `compare an LLM on the same ${b.split.test} cases: edit the target in ${b.llmSuiteFile}, run \`yardstick eval ${b.llmSuiteFile}\`, then \`yardstick tradeoff ${b.models.map((m) => m.evalRunId).join(' ')} LLM_RUN_ID\``,
  );
  return out.join('\n');
}

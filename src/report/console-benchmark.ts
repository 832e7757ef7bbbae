import type { BenchmarkSummary } from '../benchmarks/benchmark-summary.js';
import type { SuiteMetric } from '../eval/suite-metrics.js';
import { formatMs } from '../core/units.js';
import { renderTable } from './table.js';

function num(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

function withInterval(m: SuiteMetric): string {
  return m.ci === null ? num(m.value) : `${num(m.value)} [${num(m.ci[0])}, ${num(m.ci[1])}]`;
}

/** The per-task table of a benchmark run (metrics with 95% intervals beside chance), and MMLU's categories and averages. */
export function renderBenchmarkTables(b: BenchmarkSummary): string {
  const out: string[] = [];
  const rows = b.tasks.flatMap((t) => {
    const metrics = Object.entries(t.metrics);
    const tail = [
      String(t.answered),
      num(t.unparseableRate),
      formatMs(t.latencyMs.p50 ?? Number.NaN),
      String(t.tokens.input + t.tokens.output),
    ];
    if (metrics.length === 0) return [[t.task, '—', '—', '—', '—', ...tail]];
    return metrics.map(([name, m], i) => [
      i === 0 ? t.task : '',
      name,
      withInterval(m),
      num(m.se),
      num(t.chance[name]),
      ...(i === 0 ? tail : ['', '', '', '']),
    ]);
  });
  out.push(
    renderTable(
      ['task', 'metric', 'value [95% interval]', 'se', 'chance', 'n', 'unparseable', 'p50 latency', 'tokens'],
      rows,
    ),
  );
  // Stored runs from before the scoring method was kept have none.
  const methods = [
    ...new Set(
      b.tasks.flatMap((t) => (t.scoredBy === null || t.scoredBy === undefined ? [] : [t.scoredBy.description])),
    ),
  ];
  for (const method of methods)
    out.push(
      `scored by ${method}: ${b.tasks
        .filter((t) => t.scoredBy?.description === method)
        .map((t) => t.task)
        .join(', ')}`,
    );
  if (b.mmlu !== null) {
    const m = b.mmlu;
    const categoryRows = Object.entries(m.categories).map(([name, metric]) => [
      name,
      withInterval(metric),
      String(metric.n),
    ]);
    categoryRows.push(
      ['all (micro: every question once)', withInterval(m.micro), String(m.micro.n)],
      ['all (macro: every subject once)', withInterval(m.macro), String(m.subjects.length)],
    );
    out.push('', renderTable(['MMLU accuracy', 'value [95% interval]', 'n'], categoryRows));
    if (m.subjects.length <= 12)
      out.push(
        '',
        renderTable(
          ['subject', 'category', 'acc [95% interval]', 'n'],
          m.subjects.map((s) => [s.subject, s.category, withInterval(s.acc), String(s.acc.n)]),
        ),
      );
    else out.push(`(${m.subjects.length} subjects: per-subject accuracy is in --json and \`runs show\`)`);
  }
  const agreement = b.agreement ?? [];
  const other = agreement[0];
  if (other !== undefined) {
    out.push(
      '',
      renderTable(
        [`same answer as ${other.otherMode} (run ${other.otherRunId})`, 'cases in both', 'agreement'],
        agreement.map((a) => [a.task, String(a.n), num(a.rate)]),
      ),
    );
  }
  return out.join('\n');
}

import type { CaseResult } from '../../eval/case-result.js';
import type { EvalJson } from '../../eval/eval-summary.js';
import type { SuiteMetric } from '../../eval/suite-metrics.js';
import { injectionHeadline, injectionRows, robustnessHeadline, robustnessRows } from '../robustness-text.js';
import { chart, confusionMarks, missingChart, msAxis, Plot } from './charts.js';
import { cellNumber, escapeHtml, htmlTable } from './escape.js';

/** Metrics that are the same numbers (a choice scorer's pass rate is its accuracy) under one name: `pass_rate = accuracy`. */
function distinctMetrics(summary: EvalJson): [string, SuiteMetric][] {
  const groups = new Map<string, { names: string[]; metric: SuiteMetric }>();
  for (const [name, metric] of Object.entries(summary.metrics)) {
    const key = JSON.stringify([metric.value, metric.ci, metric.n]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { names: [name], metric });
    else group.names.push(name);
  }
  return [...groups.values()].map((g) => [g.names.join(' = '), g.metric]);
}

function metricsTable(summary: EvalJson): string {
  const rows = distinctMetrics(summary).map(([name, m]) => [
    name,
    cellNumber(m.value, 4),
    m.ci === null ? '—' : `[${cellNumber(m.ci[0], 4)}, ${cellNumber(m.ci[1], 4)}]`,
    String(m.n),
  ]);
  return htmlTable(['metric', 'value', '95% interval', 'n'], rows);
}

function intervalChart(summary: EvalJson): string {
  const data = distinctMetrics(summary)
    .filter(([, m]) => m.value !== null && m.value >= 0 && m.value <= 1)
    .map(([name, m]) => ({
      name,
      value: m.value ?? 0,
      low: m.ci?.[0] ?? m.value ?? 0,
      high: m.ci?.[1] ?? m.value ?? 0,
    }));
  if (data.length === 0)
    return missingChart({ id: 'metric-intervals', title: 'metrics with intervals' }, 'no metric between 0 and 1');
  return chart(
    {
      id: 'metric-intervals',
      title: 'metrics with 95% intervals',
      note: 'dot: the value on the first repeat of every answered case; bar: its interval',
    },
    {
      height: 40 + data.length * 22,
      marginLeft: Math.min(460, 24 + 7 * Math.max(...data.map((d) => d.name.length))),
      x: { domain: [0, 1], grid: true },
      y: { label: null },
      marks: [
        Plot.ruleY(data, { y: 'name', x1: 'low', x2: 'high', stroke: '#4c78a8', strokeWidth: 3 }),
        Plot.dot(data, { y: 'name', x: 'value', fill: 'black', r: 3 }),
      ],
    },
  );
}

function confusionChart(results: readonly CaseResult[]): string {
  const labelled = results.filter((r) => r.repeat === 0 && r.status === 'ok' && r.expectedLabel !== null);
  const frame = { id: 'confusion-matrix', title: 'confusion matrix (first repeat)' };
  if (labelled.length === 0) return missingChart(frame, 'the suite has no choice scorer with expected labels');
  const counts = new Map<string, number>();
  for (const r of labelled) {
    const key = `${r.expectedLabel ?? ''}\u0000${r.label ?? '(none)'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const data = [...counts].map(([key, n]) => {
    const [expected = '', predicted = ''] = key.split('\u0000');
    return { expected, predicted, n };
  });
  return chart(
    { ...frame, note: 'rows: expected label; columns: the label answered; cells: cases' },
    {
      height: 80 + new Set(data.map((d) => d.expected)).size * 40,
      marginLeft: 120,
      x: { label: 'answered' },
      y: { label: 'expected' },
      color: { scheme: 'blues' },
      marks: confusionMarks(data),
    },
  );
}

function latencyCharts(results: readonly CaseResult[]): string {
  const latencies = results
    .filter((r) => r.status === 'ok' && !r.cached && r.e2eMs !== null)
    .map((r) => ({ ms: r.e2eMs ?? 0 }));
  if (latencies.length === 0) {
    const why = 'no latency measured in this run (every answer came from the cache)';
    return (
      missingChart({ id: 'latency-histogram', title: 'latency histogram' }, why) +
      missingChart({ id: 'latency-cdf', title: 'latency CDF' }, why)
    );
  }
  const sorted = latencies.map((l) => l.ms).sort((a, b) => a - b);
  const cdf = sorted.map((ms, i) => ({ ms, share: (i + 1) / sorted.length }));
  return (
    chart(
      { id: 'latency-histogram', title: 'end-to-end latency per answer' },
      {
        x: msAxis('latency (ms)', { grid: false }),
        y: { label: 'answers', grid: true },
        marks: [Plot.rectY(latencies, { ...Plot.binX({ y: 'count' }, { x: 'ms' }), fill: '#4c78a8' }), Plot.ruleY([0])],
      },
    ) +
    chart(
      { id: 'latency-cdf', title: 'latency CDF', note: 'share of answers at or under each latency' },
      {
        x: msAxis('latency (ms)', { log: true }),
        y: { label: 'share', domain: [0, 1], grid: true },
        marks: [Plot.line(cdf, { x: 'ms', y: 'share', curve: 'step-after', stroke: '#4c78a8' })],
      },
    )
  );
}

function benchmarkChart(summary: EvalJson): string {
  const tasks = summary.benchmark?.tasks ?? [];
  if (tasks.length === 0) return '';
  const data = tasks.map((t) => {
    const main = Object.entries(t.metrics)[0];
    return {
      task: t.task,
      metric: main?.[0] ?? '',
      value: main?.[1]?.value ?? 0,
      low: main?.[1]?.ci?.[0] ?? 0,
      high: main?.[1]?.ci?.[1] ?? 0,
    };
  });
  return chart(
    { id: 'benchmark-tasks', title: 'per-task score with 95% intervals' },
    {
      height: 40 + data.length * 22,
      marginLeft: 160,
      x: { grid: true },
      y: { label: null },
      marks: [
        Plot.barX(data, { y: 'task', x: 'value', fill: '#9ecae9' }),
        Plot.ruleY(data, { y: 'task', x1: 'low', x2: 'high', stroke: 'black' }),
      ],
    },
  );
}

function subjectsChart(summary: EvalJson): string {
  const subjects = summary.benchmark?.mmlu?.subjects ?? [];
  if (subjects.length === 0) return '';
  const data = subjects
    .map((s) => ({
      subject: s.subject,
      category: s.category,
      value: s.acc.value ?? 0,
      low: s.acc.ci?.[0] ?? 0,
      high: s.acc.ci?.[1] ?? 0,
    }))
    .sort((a, b) => b.value - a.value);
  return chart(
    {
      id: 'mmlu-subjects',
      title: 'MMLU accuracy per subject with 95% intervals',
      note: 'coloured by category; the dashed line is chance (0.25)',
    },
    // 16 px a subject under the legend and axes, and never less than 140 px: two subjects need room too.
    {
      height: Math.max(140, 60 + data.length * 16),
      marginLeft: 230,
      x: { domain: [0, 1], grid: true, label: 'accuracy' },
      y: { label: null, domain: data.map((d) => d.subject) },
      color: { legend: true, type: 'categorical' },
      marks: [
        Plot.barX(data, { y: 'subject', x: 'value', fill: 'category' }),
        Plot.ruleY(data, { y: 'subject', x1: 'low', x2: 'high', stroke: 'black' }),
        Plot.ruleX([0.25], { strokeDasharray: '4,3' }),
      ],
    },
  );
}

function repeatability(summary: EvalJson): string {
  const r = summary.repeatability;
  if (r === null) return '';
  return (
    '<h4>repeatability</h4>\n' +
    htmlTable(
      ['repeats', 'cases', 'agreement', 'flip rate', "Fleiss' κ", 'majority-vote accuracy'],
      [
        [
          String(r.repeats),
          String(r.cases),
          cellNumber(r.agreement),
          cellNumber(r.flipRate),
          cellNumber(r.fleissKappa),
          cellNumber(r.majorityVote.accuracy),
        ],
      ],
    )
  );
}

/** The failing cases the summary kept, and how many there were in all. */
function failing(summary: EvalJson, results: readonly CaseResult[]): string {
  if (summary.failingCases.length === 0) return '';
  // Stored runs from before the count was kept: count the stored cases.
  const total =
    summary.failingCount ?? results.filter((r) => r.repeat === 0 && (r.status === 'error' || r.pass === false)).length;
  const shown = summary.failingCases.length;
  const heading = total > shown ? `failing cases: the first ${shown} of ${total}` : `failing cases (${shown})`;
  const rows = summary.failingCases.map((f) => [
    f.caseId,
    f.expected.join(' | '),
    f.output.slice(0, 300),
    f.reasons.join('; '),
  ]);
  return `<h4>${heading}</h4>\n${htmlTable(['case', 'expected', 'output', 'why'], rows, [1, 2, 3])}`;
}

/** A robustness suite: clean against robust accuracy, each perturbation's accuracy with its interval, the table. */
function robustnessPart(summary: EvalJson): string {
  const r = summary.robustness;
  if (r === undefined) return '';
  const bars = [
    {
      name: 'clean',
      value: r.clean.value,
      low: r.clean.ci?.[0] ?? r.clean.value,
      high: r.clean.ci?.[1] ?? r.clean.value,
    },
    ...r.perturbations.map((x) => ({
      name: x.name,
      value: x.accuracy.value,
      low: x.accuracy.ci?.[0] ?? x.accuracy.value,
      high: x.accuracy.ci?.[1] ?? x.accuracy.value,
    })),
    {
      name: 'robust (worst case)',
      value: r.robust.value,
      low: r.robust.ci?.[0] ?? r.robust.value,
      high: r.robust.ci?.[1] ?? r.robust.value,
    },
  ];
  const figure = chart(
    {
      id: 'robustness',
      title: 'accuracy on the original cases, under each perturbation, and in the worst case, with 95% intervals',
    },
    {
      height: 60 + 28 * bars.length,
      marginLeft: 150,
      x: { label: 'accuracy', domain: [0, 1], grid: true },
      y: { label: null, domain: bars.map((b) => b.name) },
      marks: [
        Plot.ruleY(bars, { y: 'name', x1: 'low', x2: 'high', stroke: '#4c78a8', strokeWidth: 2 }),
        Plot.dot(bars, { y: 'name', x: 'value', fill: '#4c78a8' }),
      ],
    },
  );
  const { header, rows } = robustnessRows(r);
  const injection = injectionHeadline(r);
  const probes = injectionRows(r);
  return [
    r.perturbations.length === 0
      ? ''
      : `<h4>robustness</h4>\n<p>${escapeHtml(robustnessHeadline(r))}.</p>\n${figure}\n${htmlTable(header, rows, [0, 1, 7])}`,
    injection === null
      ? ''
      : `<h4>prompt injection</h4>\n<p>${escapeHtml(injection)}.</p>\n${htmlTable(probes.header, probes.rows, [0, 1, 4])}`,
  ].join('\n');
}

/** The report section of one eval run: metrics, intervals, confusion matrix, latency, repeatability, failures. */
export function evalSection(summary: EvalJson, results: readonly CaseResult[]): string {
  const errors = Object.entries(summary.errors);
  return [
    `<h3>${escapeHtml(summary.suite)} → ${escapeHtml(summary.target.name)}</h3>`,
    `<p>${summary.n} cases × ${summary.repeats} repeat${summary.repeats === 1 ? '' : 's'}: ${summary.cases.answered} answered, ${summary.cases.errored} failed, ${summary.cases.cached} from the cache${summary.repeats === 1 ? ' (one repeat: no repeatability measured)' : ''}. Run <code>${escapeHtml(summary.runId)}</code>, ${escapeHtml(summary.status)}.</p>`,
    metricsTable(summary),
    intervalChart(summary),
    confusionChart(results),
    robustnessPart(summary),
    benchmarkChart(summary),
    subjectsChart(summary),
    latencyCharts(results),
    repeatability(summary),
    errors.length === 0
      ? ''
      : `<h4>errors</h4>\n${htmlTable(
          ['category', 'requests'],
          errors.map(([k, v]) => [k, String(v)]),
        )}`,
    failing(summary, results),
  ]
    .filter((part) => part !== '')
    .join('\n');
}

import { lostWorkerLines, SCALE_OUT_HEADER, scaleOutHeadline, scaleOutRows } from '../console-scale-out.js';
import { datasetText, sessionsText, traceText, TURN_HEADER, turnRows } from '../workload-text.js';
import { NETWORK_METRICS, type NetworkMetric, type ResourceSample } from '../../core/types.js';
import type { BenchJson } from '../../efficiency/bench-json.js';
import { saturationKnee, KNEE_LATENCY_FACTOR } from '../../tradeoff/saturation-knee.js';
import { energyPerWork } from '../../tradeoff/energy.js';
import { energyLine } from '../console-bench.js';
import { chart, missingChart, msAxis, Plot } from './charts.js';
import { serverMetricsCharts } from './server-metrics-charts.js';
import { cellNumber, escapeHtml, htmlTable } from './escape.js';

const PERCENTILES = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p95', 0.95],
  ['p99', 0.99],
  ['p999', 0.999],
] as const;

function stepsTable(summary: BenchJson): string {
  const steps = summary.steps.length > 0 ? summary.steps : [{ ...summary, label: 'run' }];
  return htmlTable(
    [
      'step',
      'completed',
      'errored',
      'requests/s',
      'output tokens/s',
      'p50 e2e (ms)',
      'p95 e2e (ms)',
      'p95 ttft (ms)',
      'p50 itl (ms)',
    ],
    steps.map((s) => [
      s.label,
      String(s.requests.completed),
      String(s.requests.errored),
      cellNumber(s.throughput.requestsPerS, 1),
      cellNumber(s.throughput.outputTokensPerS, 1),
      cellNumber(s.latencyMs.e2e?.p50, 2),
      cellNumber(s.latencyMs.e2e?.p95, 2),
      cellNumber(s.latencyMs.ttft?.p95, 2),
      cellNumber(s.latencyMs.itl?.p50, 2),
    ]),
  );
}

const PHASE_NAMES: Record<NetworkMetric, string> = {
  dns: 'name lookup',
  connect: 'TCP connect',
  tls: 'TLS handshake',
  ttfb: 'send → response head',
  receive: 'response head → end',
};

/** The network phases of the run, and how requests met their connections; empty when the client described none. */
function networkTable(summary: BenchJson): string {
  // Stored runs from before the network phases were measured have neither.
  const connections = summary.connections ?? null;
  const rows = NETWORK_METRICS.flatMap((metric) => {
    const p = summary.latencyMs[metric] ?? null;
    return p === null
      ? []
      : [[PHASE_NAMES[metric], cellNumber(p.p50, 3), cellNumber(p.p95, 3), cellNumber(p.p99, 3), cellNumber(p.max, 3)]];
  });
  if (connections === null || rows.length === 0) return '';
  const unknown =
    connections.unknown > 0 ? `, ${connections.unknown} on connections the HTTP client does not describe` : '';
  return `<p>Network: ${connections.opened} requests opened a connection, ${connections.reused} reused one${unknown}. Lookup, connect and handshake are timed on new connections only.</p>\n${htmlTable(['network phase', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'max (ms)'], rows)}`;
}

function sweepChart(summary: BenchJson): string {
  const frame = { id: 'throughput-latency', title: 'throughput against p95 latency over the sweep' };
  if (summary.steps.length < 2) return missingChart(frame, 'not a sweep: one load level only');
  const points = summary.steps.map((s) => ({
    label: s.label,
    requestsPerS: s.throughput.requestsPerS,
    p95LatencyMs: s.latencyMs.e2e?.p95 ?? null,
  }));
  const knee = saturationKnee(points);
  const data = points.filter((p) => p.p95LatencyMs !== null).sort((a, b) => a.requestsPerS - b.requestsPerS);
  return chart(
    {
      ...frame,
      note: `ringed: the saturation knee — the highest throughput whose p95 latency stays within ${KNEE_LATENCY_FACTOR}× the lightest step's${knee === null ? '' : ` (${knee.label}, ${knee.requestsPerS.toFixed(1)} requests/s)`}`,
    },
    {
      x: { label: 'achieved requests/s', grid: true, inset: 20 },
      y: msAxis('p95 end-to-end latency (ms)', { log: true }),
      marks: [
        Plot.line(data, { x: 'requestsPerS', y: 'p95LatencyMs', stroke: '#4c78a8' }),
        Plot.dot(data, { x: 'requestsPerS', y: 'p95LatencyMs', fill: '#4c78a8' }),
        ...(knee === null
          ? []
          : [Plot.dot([knee], { x: 'requestsPerS', y: 'p95LatencyMs', r: 9, stroke: '#e45756', strokeWidth: 2 })]),
      ],
    },
  );
}

/** Why a latency distribution has no data: the run's own reason, not a guess. */
function absence(summary: BenchJson, metric: 'e2e' | 'ttft' | 'itl'): string {
  const completed = summary.requests.completed;
  if (completed === 0) return 'no request completed';
  if (!summary.target.streaming) return 'not measured: the responses were not streamed';
  if (metric !== 'itl') return 'not measured: no response carried a token';
  const perRequest = summary.tokens.output / completed;
  if (perRequest <= 1)
    return `no gap between tokens to time: each response had ${perRequest === 1 ? 'one output token' : 'at most one output token'} (${summary.tokens.output} tokens over ${completed} requests)`;
  return 'no gap between tokens to time: every response arrived in a single chunk';
}

function percentileChart(summary: BenchJson, metric: 'e2e' | 'ttft' | 'itl', title: string): string {
  const frame = { id: `${metric}-distribution`, title };
  const steps = summary.steps.length > 0 ? summary.steps : [{ ...summary, label: 'run' }];
  const data = steps.flatMap((s) => {
    const p = s.latencyMs[metric];
    return p === null ? [] : PERCENTILES.map(([key, share]) => ({ step: s.label, share, ms: p[key] }));
  });
  if (data.length === 0) return missingChart(frame, absence(summary, metric));
  return chart(
    { ...frame, note: 'per step: the latency at p50, p90, p95, p99 and p99.9 (from HDR histograms)' },
    {
      x: msAxis('latency (ms)', { log: true }),
      y: { label: 'share at or under', domain: [0.4, 1] },
      color: { legend: true, type: 'categorical' },
      marks: [Plot.line(data, { x: 'ms', y: 'share', stroke: 'step', marker: 'dot' })],
    },
  );
}

function resourcesChart(samples: readonly ResourceSample[]): string {
  const frame = { id: 'resources', title: 'CPU over the run' };
  if (samples.length < 2) return missingChart(frame, 'fewer than two resource samples');
  const data = samples.flatMap((s) => [
    { atS: s.atS, series: 'generator CPU %', value: s.generatorCpuPercent },
    { atS: s.atS, series: 'system CPU %', value: s.systemCpuPercent },
    ...(s.targetCpuPercent === null ? [] : [{ atS: s.atS, series: 'target CPU %', value: s.targetCpuPercent }]),
    ...(s.gpuUtilPercent === null ? [] : [{ atS: s.atS, series: 'GPU %', value: s.gpuUtilPercent }]),
  ]);
  const gpu = samples.some((s) => s.gpuUtilPercent !== null) ? '' : ' GPU: not measured (no nvidia-smi).';
  return chart(
    { ...frame, note: `sampled every second.${gpu}` },
    {
      x: { label: 'seconds' },
      y: { label: 'percent', grid: true, zero: true },
      color: { legend: true, type: 'categorical' },
      marks: [Plot.line(data, { x: 'atS', y: 'value', stroke: 'series' })],
    },
  );
}

function errorsChart(summary: BenchJson): string {
  const data = Object.entries(summary.errors)
    .filter(([, n]) => n > 0)
    .map(([category, n]) => ({ category, n }));
  // No failure, no chart: the run's line above already says 0 errored.
  if (data.length === 0) return '';
  return chart(
    { id: 'errors', title: 'errors by category' },
    {
      height: 40 + data.length * 26,
      marginLeft: 140,
      x: { label: 'requests', grid: true },
      y: { label: null },
      marks: [Plot.barX(data, { y: 'category', x: 'n', fill: '#e45756' }), Plot.ruleX([0])],
    },
  );
}

/** The first distinct message of each kind of failure, so the server's reason is on the page. */
function errorSamplesList(summary: BenchJson): string {
  // Stored runs from before error samples were kept have none.
  const samples = summary.errorSamples ?? [];
  if (samples.length === 0) return '';
  const items = samples.map(
    (s) => `<li><code>${escapeHtml(s.category)}</code> ×${s.count}: ${escapeHtml(s.message)}</li>`,
  );
  return `<p>First distinct messages of each kind of error:</p>\n<ul class="error-samples">${items.join('')}</ul>`;
}

/** The report section of one bench run: the steps, the sweep curve and its knee, latency distributions, resources, errors. */
/** What a capacity search found, step by step; nothing for other profiles. */
function searchBlock(summary: BenchJson): string {
  const search = summary.sloSearch;
  if (search === undefined) return '';
  const [pass, fail] = search.interval ?? [null, null];
  const found =
    search.capacityPerS === null
      ? 'not established'
      : `${cellNumber(search.capacityPerS, 2)} requests/s, confirmed by a full-length step (passes at ${cellNumber(pass ?? 0, 2)}/s, fails at ${fail === null ? 'no rate tried' : `${cellNumber(fail, 2)}/s`})`;
  return [
    `<p><strong>capacity under ${escapeHtml(search.objectives.join(' and '))}:</strong> ${escapeHtml(found)}</p>`,
    htmlTable(
      ['step', 'target/s', 'sent/s', 'verdict'],
      search.steps.map((step) => [
        step.label,
        cellNumber(step.targetPerS, 2),
        cellNumber(step.achievedPerS, 2),
        step.passed ? 'passes' : `fails: ${step.failedObjectives.join(', ')}`,
      ]),
    ),
    ...search.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`),
  ].join('\n');
}

/** The prompts' lengths and shared prefixes as asked for and as drawn; nothing for a prompts file. */
function promptsBlock(summary: BenchJson): string {
  if (summary.trace !== undefined) return `<p><strong>trace:</strong> ${escapeHtml(traceText(summary.trace))}.</p>`;
  if (summary.dataset !== undefined)
    return `<p><strong>dataset:</strong> ${escapeHtml(datasetText(summary.dataset))}.</p>`;
  const p = summary.prompts;
  if (p === null || p === undefined) return '';
  const parts = [
    `${p.unique} synthetic prompts of ${p.tokens.min}–${p.tokens.max} tokens (mean ${cellNumber(p.tokens.mean, 1)}), counted by ${p.tokenizer}`,
  ];
  if (p.lengths !== undefined)
    parts.push(
      `prompt lengths asked for: ${p.lengths.input.requested}`,
      `max_tokens asked for: ${p.lengths.output.requested}, drawn ${p.lengths.output.drawn.min}–${p.lengths.output.drawn.max} (mean ${cellNumber(p.lengths.output.drawn.mean, 1)}); answered ${cellNumber(summary.tokens.output / Math.max(1, summary.requests.completed), 1)} tokens per request on average`,
    );
  if (p.prefixes !== undefined)
    parts.push(`${p.prefixes.prefixedPrompts} prompts start with one of ${p.prefixes.distinct} shared prefixes`);
  return `<p><strong>prompts:</strong> ${escapeHtml(parts.join('; '))}.</p>`;
}

/** Multi-turn sessions: how they ended, and each turn's latency as the history grows; nothing for single requests. */
function sessionsBlock(summary: BenchJson): string {
  const sessions = summary.sessions;
  if (sessions === undefined) return '';
  return `<p><strong>sessions:</strong> ${escapeHtml(sessionsText(sessions))}.</p>\n${htmlTable(
    TURN_HEADER.map((name, i) => (i >= 3 ? `${name} (ms)` : name)),
    turnRows(sessions),
  )}`;
}

/** The validity verdict, its reasons, and the bounds of the percentiles it judged; nothing for older stored runs. */
function validityBlock(summary: BenchJson): string {
  const validity = summary.validity;
  if (validity === undefined) return '';
  const confidence = Math.round(validity.rules.confidence * 100);
  const verdict = `<p><strong>validity: ${escapeHtml(validity.verdict)}</strong>${validity.reasons.length > 0 ? ` — ${escapeHtml(validity.reasons.join('; '))}` : ''}</p>`;
  const end = (value: number | null | undefined): string =>
    value === null || value === undefined ? '—' : cellNumber(value, 2);
  const rows = (['ttft', 'e2e'] as const).flatMap((metric) => {
    const bounds = validity.bounds[metric];
    if (bounds === undefined) return [];
    return validity.rules.percentiles.map((name) => {
      const b = bounds[name];
      return [
        metric,
        name,
        end(b?.lowMs),
        end(b?.highMs),
        b === undefined || b.needsMore === 0 ? '' : `${b.needsMore} more requests`,
      ];
    });
  });
  if (rows.length === 0) return verdict;
  return `${verdict}\n${htmlTable(['metric', 'percentile', `${confidence}% low (ms)`, `${confidence}% high (ms)`, 'upper bound needs'], rows)}`;
}

/** Each worker's share of a load spread over worker processes; nothing for a local run. */
function scaleOutBlock(summary: BenchJson): string {
  const scaleOut = summary.scaleOut;
  if (scaleOut === undefined) return '';
  return [
    `<p><strong>${escapeHtml(scaleOutHeadline(scaleOut))}</strong></p>`,
    htmlTable(SCALE_OUT_HEADER, scaleOutRows(scaleOut)),
    ...lostWorkerLines(scaleOut).map((line) => `<p class="note">${escapeHtml(line)}</p>`),
  ].join('\n');
}

export function benchSection(summary: BenchJson, resources: readonly ResourceSample[]): string {
  return [
    `<h3>load → ${escapeHtml(summary.target.name)}</h3>`,
    `<p>${summary.requests.completed} completed, ${summary.requests.errored} errored, ${summary.requests.incomplete} incomplete over ${cellNumber(summary.durationS, 1)} s${summary.requests.resent > 0 ? `; ${summary.requests.resent} resent after the server closed a reused connection before answering` : ''}. Run <code>${escapeHtml(summary.runId)}</code>, ${escapeHtml(summary.status)}.</p>`,
    scaleOutBlock(summary),
    stepsTable(summary),
    searchBlock(summary),
    validityBlock(summary),
    promptsBlock(summary),
    sessionsBlock(summary),
    networkTable(summary),
    sweepChart(summary),
    percentileChart(summary, 'e2e', 'end-to-end latency distribution'),
    percentileChart(summary, 'ttft', 'time to first token distribution'),
    percentileChart(summary, 'itl', 'inter-token latency distribution'),
    resourcesChart(resources),
    serverMetricsCharts(summary.serverMetrics, summary.tokens),
    `<p><strong>energy:</strong> ${escapeHtml(energyLine(energyPerWork(summary)))}</p>`,
    errorsChart(summary),
    errorSamplesList(summary),
  ].join('\n');
}

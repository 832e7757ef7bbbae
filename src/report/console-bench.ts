import { datasetText, sessionsText, traceText, TURN_HEADER, turnRows } from './workload-text.js';
import { energyPerWork, type EnergyPerWork } from '../tradeoff/energy.js';
import { LATENCY_METRICS, NETWORK_METRICS, type LatencyMetric } from '../core/types.js';
import { formatMs, formatRate } from '../core/units.js';
import type { BenchJson, SloSearchJson, StepJson } from '../efficiency/bench-json.js';
import { scaleOutLines } from './console-scale-out.js';
import { renderTable } from './table.js';

const LATENCY_NOTES: Record<string, string> = {
  e2e: 'send → last token',
  e2eFromIntended: 'intended send → last token',
  scheduleLag: 'intended → actual send',
  ttft: 'time to first token',
  ttfo: 'time to first content token',
  tpot: 'time per output token',
  itl: 'inter-token latency',
  chunkGap: 'gap between chunks',
  dns: 'name lookup (new connections)',
  connect: 'TCP connect (new connections)',
  tls: 'TLS handshake (new connections)',
  ttfb: 'send → response head',
  receive: 'response head → end',
};

const NETWORK = new Set<LatencyMetric>(NETWORK_METRICS);

function metricRows(step: Pick<StepJson, 'latencyMs'>, metrics: readonly LatencyMetric[]): string[][] {
  return metrics.flatMap((metric) => {
    // Stored runs from before the network phases were measured have no entry for them.
    const p = step.latencyMs[metric] ?? null;
    if (p === null) return [];
    return [
      [
        metric,
        formatMs(p.p50),
        formatMs(p.p90),
        formatMs(p.p95),
        formatMs(p.p99),
        formatMs(p.p999),
        formatMs(p.mean),
        formatMs(p.max),
        LATENCY_NOTES[metric] ?? '',
      ],
    ];
  });
}

function latencyTable(step: Pick<StepJson, 'latencyMs'>): string {
  const rows = metricRows(
    step,
    LATENCY_METRICS.filter((m) => !NETWORK.has(m)),
  );
  if (rows.length === 0) return '  no latency measured (no request completed)';
  return renderTable(['latency', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'mean', 'max', ''], rows);
}

/**
 * The validity verdict and the bounds of the percentiles it judged on ttft and e2e (`[low, high]`, `—` for a bound
 * the samples cannot give yet); nothing for runs stored before verdicts existed.
 */
function validityLines(step: Pick<StepJson, 'validity'>): string[] {
  const validity = step.validity;
  if (validity === undefined) return [];
  const confidence = `${Math.round(validity.rules.confidence * 100)}%`;
  const out = [
    `validity: ${validity.verdict}${validity.reasons.length > 0 ? ` — ${validity.reasons.join('; ')}` : ''}`,
  ];
  for (const metric of ['ttft', 'e2e'] as const) {
    const bounds = validity.bounds[metric];
    if (bounds === undefined) continue;
    const parts = validity.rules.percentiles.map((name) => {
      const b = bounds[name];
      const end = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : formatMs(v));
      return `${name} [${end(b?.lowMs)}, ${end(b?.highMs)}]`;
    });
    out.push(`  ${metric} ${confidence} bounds: ${parts.join('  ')}`);
  }
  return out;
}

/** The network phases and how requests met their connections; null when the target used no network the client described. */
function networkTable(step: Pick<StepJson, 'latencyMs' | 'connections'>): string | null {
  const rows = metricRows(step, NETWORK_METRICS);
  const c = step.connections ?? null;
  if (rows.length === 0 || c === null) return null;
  const unknown = c.unknown > 0 ? `, ${c.unknown} on connections the HTTP client does not describe` : '';
  return `${renderTable(['network', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'mean', 'max', ''], rows)}\nconnections: ${c.opened} requests opened one, ${c.reused} reused one${unknown}`;
}

function sweepTable(steps: readonly StepJson[]): string {
  const rows = steps.map((s) => [
    s.label,
    formatRate(s.rate.targetPerS),
    formatRate(s.rate.achievedPerS),
    formatRate(s.throughput.requestsPerS),
    formatRate(s.throughput.outputTokensPerS),
    formatMs(s.latencyMs.ttft?.p50),
    formatMs(s.latencyMs.ttft?.p95),
    formatMs(s.latencyMs.e2e?.p50),
    formatMs(s.latencyMs.e2e?.p95),
    String(s.requests.errored),
  ]);
  return renderTable(
    ['step', 'target/s', 'sent/s', 'req/s', 'tok/s', 'ttft p50', 'ttft p95', 'e2e p50', 'e2e p95', 'errors'],
    rows,
  );
}

function bytes(value: number): string {
  return `${(value / 1024 / 1024).toFixed(0)} MiB`;
}

/** Joules per request and per output token where measured; otherwise what was not measured. */
export function energyLine(e: EnergyPerWork): string {
  const joules = (v: number | null): string =>
    v === null ? '—' : v >= 0.1 ? `${v.toFixed(2)} J` : `${(v * 1000).toFixed(2)} mJ`;
  const cpu =
    e.cpuPackageJPerRequest === null
      ? null
      : `CPU package ${joules(e.cpuPackageJPerRequest)} per request, ${joules(e.cpuPackageJPerOutputToken)} per output token`;
  const gpu =
    e.gpuJPerRequest === null
      ? null
      : `GPU ${joules(e.gpuJPerRequest)} per request, ${joules(e.gpuJPerOutputToken)} per output token`;
  const measured = [cpu, gpu].filter((x) => x !== null).join('; ');
  return measured === '' ? `not measured (${e.note})` : `${measured} (${e.note})`;
}

/** What the server's own metrics said, beside the client's counts; null for stored runs from before they were read. */
function serverMetricsLine(summary: BenchJson): string | null {
  const metrics = summary.serverMetrics;
  // Stored runs from before server metrics were read have none.
  if (metrics === undefined) return null;
  if ('notMeasured' in metrics) return `server metrics: not read (${metrics.notMeasured})`;
  const failed = metrics.failures > 0 ? `, ${metrics.failures} scrapes failed (${metrics.firstFailure ?? ''})` : '';
  const head = `server metrics: ${metrics.samples.length} scrapes of ${metrics.series.length} series from ${metrics.url}${failed}`;
  const t = metrics.tokens;
  if (t === null) return head;
  const count = (n: number | null): string => (n === null ? 'no' : String(n));
  const cached =
    t.cachedPromptTokens === null || t.cachedPromptTokens === 0
      ? ''
      : `, ${t.cachedPromptTokens} more from its prompt cache`;
  // Runs stored before the hit rate was read have no such field.
  const hitRate = t.prefixCacheHitRate ?? null;
  const hits = hitRate === null ? '' : `; prefix-cache hit rate ${(hitRate * 100).toFixed(1)}% of prompt tokens`;
  return `${head}; ${t.server} counted ${count(t.outputTokens)} output tokens (yardstick: ${summary.tokens.output}) and computed ${count(t.promptTokens)} prompt tokens${cached} (yardstick: ${summary.tokens.input})${hits}`;
}

/** Whose tokenizer measured the synthetic prompts; null for prompts from a file and stored runs from before it was kept. */
function promptsLine(summary: BenchJson): string | null {
  const p = summary.prompts ?? null;
  if (p === null) return null;
  const lengths =
    p.tokens.min === p.tokens.max
      ? `${p.tokens.min} tokens each`
      : `${p.tokens.min}–${p.tokens.max} tokens (mean ${p.tokens.mean.toFixed(1)})`;
  const fallback =
    p.fallbackReason === null ? '' : ` — the target's own tokenizer was not available: ${p.fallbackReason}`;
  const asked =
    p.lengths === undefined || p.lengths.input.requested.startsWith('fixed')
      ? `asked for ${p.requestedTokens}`
      : `asked for ${p.lengths.input.requested} (drawn mean ${p.lengths.input.drawn.mean.toFixed(1)})`;
  const output =
    p.lengths === undefined || p.lengths.output.requested.startsWith('fixed')
      ? ''
      : `; max_tokens ${p.lengths.output.requested}, drawn ${p.lengths.output.drawn.min}–${p.lengths.output.drawn.max} (mean ${p.lengths.output.drawn.mean.toFixed(1)}), answered ${(summary.tokens.output / Math.max(1, summary.requests.completed)).toFixed(1)} tokens per request on average`;
  const prefixes =
    p.prefixes === undefined
      ? ''
      : `; ${p.prefixes.prefixedPrompts} of them start with one of ${p.prefixes.distinct} shared prefixes (${p.prefixes.buckets.map((b) => `${b.count} × ${b.tokens} tokens for ${Math.round(b.share * 100)}%`).join(', ')})`;
  return `prompts: ${p.unique} synthetic prompts of ${lengths}, ${asked}, counted by ${p.tokenizer}${fallback}${output}${prefixes}`;
}

/** What a capacity search found, and each step's verdict. */
function searchLines(search: SloSearchJson): string[] {
  const [pass, fail] = search.interval ?? [null, null];
  const found =
    search.capacityPerS !== null
      ? `capacity under ${search.objectives.join(' and ')}: ${formatRate(search.capacityPerS)}/s, confirmed (passes at ${formatRate(pass ?? 0)}/s, fails at ${fail === null ? 'no rate tried' : `${formatRate(fail)}/s`})`
      : `capacity under ${search.objectives.join(' and ')}: not established`;
  return [
    found,
    ...search.steps.map(
      (s) =>
        `  ${s.passed ? '✓' : '✗'} ${s.label}: achieved ${formatRate(s.achievedPerS)}/s${s.failedObjectives.length > 0 ? ` — failed ${s.failedObjectives.join(', ')}` : ''}`,
    ),
    ...search.notes.map((note) => `  note: ${note}`),
  ];
}

/** The human-readable end-of-run report of `yardstick bench`. */
export function renderBench(summary: BenchJson): string {
  const out: string[] = [];
  const r = summary.requests;
  out.push(
    `run ${summary.runId} (${summary.status}) — ${summary.target.kind} ${summary.target.name} at ${summary.target.url}`,
  );
  out.push(`profile ${JSON.stringify(summary.profile)}`);
  out.push(
    `requests: ${r.completed} completed, ${r.errored} errored, ${r.incomplete} incomplete` +
      (summary.tokens.excludedRequests > 0
        ? `, ${summary.tokens.excludedRequests} left out as warm-up/cool-down`
        : '') +
      ` over ${summary.durationS.toFixed(2)} s measured`,
  );
  const rate =
    summary.rate.targetPerS === null
      ? ''
      : `; rate: target ${formatRate(summary.rate.targetPerS)}/s, achieved ${formatRate(summary.rate.achievedPerS)}/s`;
  const goodput =
    summary.throughput.goodputPerS === null ? '' : `, goodput ${formatRate(summary.throughput.goodputPerS)}/s`;
  out.push(
    `throughput: ${formatRate(summary.throughput.requestsPerS)} req/s, ${formatRate(summary.throughput.outputTokensPerS)} output tok/s${goodput}${rate}`,
  );
  if (summary.scaleOut !== undefined) out.push('', ...scaleOutLines(summary.scaleOut));
  if (summary.steps.length > 0) out.push('', sweepTable(summary.steps), '', 'all steps merged:');
  const search = summary.sloSearch;
  if (search !== undefined) out.splice(out.length - 2, 0, '', ...searchLines(search));
  out.push('', latencyTable(summary));
  const validity = validityLines(summary);
  if (validity.length > 0) out.push('', ...validity);
  const network = networkTable(summary);
  if (network !== null) out.push('', network);
  const errors = Object.entries(summary.errors);
  if (errors.length > 0) out.push('', `errors: ${errors.map(([k, v]) => `${k} ${String(v)}`).join(', ')}`);
  // Stored runs from before error samples were kept have none.
  for (const sample of summary.errorSamples ?? []) out.push(`  ${sample.category} ×${sample.count}: ${sample.message}`);
  if (r.resent > 0)
    out.push(
      `resent: ${r.resent} requests went out a second time, on a fresh connection, because the server closed the reused keep-alive connection before answering (latency counts from the first send)`,
    );
  // Stored runs from before finish reasons were kept have none.
  const reasons = Object.entries(summary.finishReasons ?? {});
  if (reasons.length > 0) out.push(`finish reasons: ${reasons.map(([reason, n]) => `${reason} ${n}`).join(', ')}`);
  const t = summary.tokens;
  const source =
    t.clientCountedRequests > 0
      ? `${t.clientCountedRequests} requests counted by the client tokenizer (no server usage)`
      : 'token counts from server usage';
  const mismatch =
    t.mismatchedRequests > 0
      ? `; client tokenizer disagreed on ${t.mismatchedRequests} requests by ${t.meanAbsMismatch?.toFixed(1)} tokens on average`
      : '';
  out.push(`tokens: ${t.input} in, ${t.output} out; ${source}${mismatch}`);
  const prompts = promptsLine(summary);
  if (prompts !== null) out.push(prompts);
  if (summary.trace !== undefined) out.push(`trace: ${traceText(summary.trace)}`);
  if (summary.dataset !== undefined) out.push(`dataset: ${datasetText(summary.dataset)}`);
  if (summary.sessions !== undefined)
    out.push(
      `${sessionsText(summary.sessions)}; latency (ms) by turn:`,
      renderTable(TURN_HEADER, turnRows(summary.sessions)),
    );
  const res = summary.resources;
  const cpu = res.generatorCpuPercent;
  const rss = res.generatorRssBytes;
  if (cpu !== null && cpu !== undefined && rss !== null && rss !== undefined) {
    const target = res.targetCpuPercent
      ? `; target CPU ${res.targetCpuPercent.mean.toFixed(0)}% mean, RSS ${bytes(res.targetRssBytes?.max ?? 0)} max`
      : '';
    const gpu = res.gpuUtilPercent ? `; GPU ${res.gpuUtilPercent.mean.toFixed(0)}% mean` : '; GPU not measured';
    out.push(
      `resources: generator CPU ${cpu.mean.toFixed(0)}% mean (of one core), RSS ${bytes(rss.max)} max${target}${gpu}`,
    );
  }
  out.push(`energy: ${energyLine(energyPerWork(summary))}`);
  // Stored runs from before the target process was kept have none.
  const targetProcess = summary.targetProcess ?? null;
  if (targetProcess !== null) {
    const line = targetProcess.commandLine;
    out.push(
      `target process: pid ${targetProcess.pid}${line === null ? '' : ` — ${line.length > 160 ? `${line.slice(0, 157)}…` : line}`}`,
    );
  }
  const metricsLine = serverMetricsLine(summary);
  if (metricsLine !== null) out.push(metricsLine);
  if (summary.thresholds.length > 0) {
    out.push('', 'thresholds:');
    for (const t of summary.thresholds)
      out.push(
        `  ${t.pass ? '✓' : '✗'} ${t.expr}  (measured ${t.value === null ? 'nothing' : Number(t.value.toPrecision(4))})`,
      );
  }
  return out.join('\n');
}

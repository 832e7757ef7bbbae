import { LATENCY_METRICS } from '../core/types.js';
import type { BenchJson, PercentilesJson, StepJson } from '../efficiency/bench-json.js';

const STATS: readonly (keyof PercentilesJson)[] = ['mean', 'min', 'max', 'stddev', 'p50', 'p90', 'p95', 'p99', 'p999'];

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function row(label: string, step: Omit<StepJson, 'label'>): (string | number | null)[] {
  return [
    label,
    step.requests.completed,
    step.requests.errored,
    step.requests.incomplete,
    step.durationS,
    step.throughput.requestsPerS,
    step.throughput.outputTokensPerS,
    step.throughput.goodputPerS,
    step.rate.targetPerS,
    step.rate.achievedPerS,
    ...LATENCY_METRICS.flatMap((metric) => STATS.map((stat) => step.latencyMs[metric]?.[stat] ?? null)),
  ];
}

/** A bench run as CSV: one row per sweep step and one for the whole run; latency columns are `<metric>_<stat>_ms`. */
export function benchCsv(summary: BenchJson): string {
  const header = [
    'step',
    'completed',
    'errored',
    'incomplete',
    'duration_s',
    'requests_per_s',
    'output_tokens_per_s',
    'goodput_per_s',
    'target_rate_per_s',
    'achieved_rate_per_s',
    ...LATENCY_METRICS.flatMap((metric) => STATS.map((stat) => `${metric}_${stat}_ms`)),
  ];
  const rows = [...summary.steps.map((s) => row(s.label, s)), row('all', summary)];
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

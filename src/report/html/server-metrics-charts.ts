import type { ServerMetricsJson } from '../../efficiency/bench-json.js';
import type { ServerMetricsRecord } from '../../resources/server-metrics.js';
import { chart, missingChart, Plot } from './charts.js';
import { escapeHtml } from './escape.js';

/** Gauges of requests in the server: running and waiting (llama.cpp, vLLM, TGI names). */
const QUEUE_GAUGES =
  /(requests_(processing|running|waiting|deferred)|num_requests_(running|waiting)|queue_size|busy_slots)/;
/** Counters of generated tokens (llama.cpp, vLLM). */
const OUTPUT_COUNTERS = /^(llamacpp:tokens_predicted_total|vllm:generation_tokens_total)/;

function seriesPoints(record: ServerMetricsRecord, pick: RegExp): { atS: number; series: string; value: number }[] {
  const points: { atS: number; series: string; value: number }[] = [];
  record.series.forEach((name, at) => {
    if (!pick.test(name)) return;
    for (const sample of record.samples) {
      const value = sample.values[at];
      if (value !== null && value !== undefined) points.push({ atS: sample.atS, series: name, value });
    }
  });
  return points;
}

/** Per-interval rates of a counter: the growth between consecutive scrapes over their distance in time. */
function counterRates(
  points: readonly { atS: number; series: string; value: number }[],
): { atS: number; series: string; value: number }[] {
  const rates: { atS: number; series: string; value: number }[] = [];
  for (let i = 1; i < points.length; i += 1) {
    const previous = points[i - 1];
    const point = points[i];
    if (previous === undefined || point === undefined || previous.series !== point.series || point.atS <= previous.atS)
      continue;
    rates.push({
      atS: point.atS,
      series: `${point.series} per second`,
      value: (point.value - previous.value) / (point.atS - previous.atS),
    });
  }
  return rates;
}

/** The server's view of the run: requests it was running and holding, and the tokens it generated per second. */
export function serverMetricsCharts(
  metrics: ServerMetricsJson | undefined,
  client: { input: number; output: number },
): string {
  const frame = { id: 'server-metrics', title: "the server's own metrics over the run" };
  // Stored runs from before server metrics were read have none.
  if (metrics === undefined) return '';
  if ('notMeasured' in metrics) return missingChart(frame, `not read: ${metrics.notMeasured}`);
  const queue = seriesPoints(metrics, QUEUE_GAUGES);
  const tokens = counterRates(seriesPoints(metrics, OUTPUT_COUNTERS));
  const note = `scraped from ${metrics.url} every ${metrics.intervalMs} ms (${metrics.samples.length} scrapes, ${metrics.series.length} series)`;
  const parts: string[] = [];
  if (queue.length < 2)
    parts.push(missingChart(frame, `the server exposes no gauge of requests running or waiting (${note})`));
  else
    parts.push(
      chart(
        { ...frame, note },
        {
          x: { label: 'seconds' },
          y: { label: 'requests', grid: true },
          color: { legend: true, type: 'categorical' },
          marks: [Plot.line(queue, { x: 'atS', y: 'value', stroke: 'series', curve: 'step-after' })],
        },
      ),
    );
  if (tokens.length >= 2)
    parts.push(
      chart(
        { id: 'server-tokens', title: 'tokens the server generated per second', note },
        {
          x: { label: 'seconds' },
          y: { label: 'tokens/s', grid: true },
          marks: [Plot.line(tokens, { x: 'atS', y: 'value', stroke: '#4c78a8' })],
        },
      ),
    );
  const t = metrics.tokens;
  if (t !== null)
    parts.push(
      `<p>${escapeHtml(t.server)} counted ${t.outputTokens ?? 'no'} output tokens and computed ${t.promptTokens ?? 'no'} prompt tokens${t.cachedPromptTokens === null ? '' : ` (${t.cachedPromptTokens} more from its prompt cache)`} over the run; yardstick counted ${client.output} and ${client.input} in its measured window.</p>`,
    );
  return parts.join('\n');
}

import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { NS_PER_S } from '../core/clock.js';
import type { Exchange } from '../core/types.js';
import { forEachChunkGap, requestTimingsNs } from '../efficiency/request-metrics.js';
import { meetsSlos, type Slo } from '../efficiency/slo.js';
import { ExchangeSeries, added, countIn } from './exchange-series.js';
import { familyHead, labelPairs, sampleLine } from './exposition.js';
import type { HistogramSeries } from './histogram-series.js';
import { LabelValues } from './label-values.js';

/** The latency histogram of each per-request metric an SLO may name, by that metric. */
export const LATENCY_HISTOGRAMS = {
  e2e: 'yardstick_request_duration_seconds',
  ttft: 'yardstick_time_to_first_token_seconds',
  ttfo: 'yardstick_time_to_first_output_seconds',
  tpot: 'yardstick_time_per_output_token_seconds',
} as const;

export type LiveSloMetric = keyof typeof LATENCY_HISTOGRAMS;

/** What a measured exchange is labelled with. */
export interface ExchangeLabels {
  model: string | null;
  endpoint: string;
}

/** A family of exchange metrics: its name, help and type, and the lines one label set's series adds to it. */
interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  lines: (series: ExchangeSeries) => string[];
}

/** A counter or gauge with one sample per label set, none before it was first touched. */
function single(
  name: string,
  help: string,
  type: 'counter' | 'gauge',
  of: (series: ExchangeSeries) => number | null,
): Family {
  return {
    name,
    help,
    type,
    lines: (series) => {
      const value = of(series);
      return value === null ? [] : [sampleLine(name, series.labels, value)];
    },
  };
}

/** A counter with one sample per value of an extra label. */
function byLabel(
  name: string,
  help: string,
  label: string,
  of: (series: ExchangeSeries) => Map<string, number>,
): Family {
  return {
    name,
    help,
    type: 'counter',
    lines: (series) =>
      [...of(series)].map(([key, value]) => sampleLine(name, `${series.labels},${labelPairs([[label, key]])}`, value)),
  };
}

/** A histogram, written for the label sets it has observations of. */
function histogram(name: string, help: string, of: (series: ExchangeSeries) => HistogramSeries): Family {
  return {
    name,
    help,
    type: 'histogram',
    lines: (series) => {
      const histogramSeries = of(series);
      return histogramSeries.count === 0 ? [] : histogramSeries.lines(name, series.labels);
    },
  };
}

/** Every family, in the order of the exposition. */
const FAMILIES: readonly Family[] = [
  byLabel(
    'yardstick_requests_total',
    "Inference requests that ended, by outcome: 'ok', the error's category (http_4xx, http_429, http_5xx, timeout, connection, malformed_response, stream_error, cancelled), or 'unmeasured' (a compressed body, passed through unread).",
    'outcome',
    (series) => series.outcomes,
  ),
  single(
    'yardstick_good_requests_total',
    'Requests that completed and met every declared SLO (goodput); every completed request when none is declared.',
    'counter',
    (series) => series.good,
  ),
  single(
    'yardstick_requests_in_flight',
    'Inference requests sent upstream and not yet ended.',
    'gauge',
    (series) => series.inFlight,
  ),
  histogram(
    LATENCY_HISTOGRAMS.e2e,
    'End-to-end latency of completed requests: from sending to the last token (streamed) or the whole body.',
    (series) => series.e2e,
  ),
  histogram(
    LATENCY_HISTOGRAMS.ttft,
    'Time to the first generated token (content, reasoning or tool call) of completed streamed requests.',
    (series) => series.ttft,
  ),
  histogram(
    LATENCY_HISTOGRAMS.ttfo,
    'Time to the first content token (after any reasoning) of completed streamed requests.',
    (series) => series.ttfo,
  ),
  histogram(
    'yardstick_inter_token_latency_seconds',
    'Gap between consecutive tokens of completed streamed requests, one observation per token (a chunk of n tokens spreads its gap over them).',
    (series) => series.itl,
  ),
  histogram(
    LATENCY_HISTOGRAMS.tpot,
    'Per request: (last token − first token) / (output tokens − 1), for streamed requests of two or more tokens.',
    (series) => series.tpot,
  ),
  histogram(
    'yardstick_request_prompt_tokens',
    "Prompt tokens per completed request, from the server's usage (requests without it are left out).",
    (series) => series.promptTokens,
  ),
  histogram(
    'yardstick_request_generation_tokens',
    "Output tokens per completed request: the server's usage, else the client tokenizer's count.",
    (series) => series.generationTokens,
  ),
  single(
    'yardstick_prompt_tokens_total',
    'Prompt tokens of completed requests.',
    'counter',
    (series) => series.promptTokensTotal,
  ),
  single(
    'yardstick_generation_tokens_total',
    'Output tokens of completed requests.',
    'counter',
    (series) => series.generationTokensTotal,
  ),
  byLabel(
    'yardstick_finish_reasons_total',
    "Completed requests by the finish reason the server gave (stop, length, tool_calls, content_filter; 'none' when it gave none).",
    'reason',
    (series) => series.finishReasons,
  ),
];

/**
 * yardstick's Prometheus metrics of the exchanges it measures (docs/operations.md lists each): requests by outcome,
 * latency histograms in seconds (ttft, ttfo, itl per token, tpot, e2e), tokens per request and in total, requests that
 * met every SLO (goodput), requests in flight; plus the process's own metrics. One registry per instance.
 *
 * The exchange metrics are kept per label set (`ExchangeSeries`) and written in the text format by this class, so that
 * measuring an exchange costs a few additions; yardstick's own errors, the process's metrics and any gauges another
 * part registers live in `registry` (prom-client), whose exposition follows.
 */
export class ExchangeMetrics {
  readonly registry = new Registry();
  private readonly models = new LabelValues(50);
  /** Series by model, then endpoint. */
  private readonly series = new Map<string, Map<string, ExchangeSeries>>();
  private readonly ownErrors: Counter<'stage'>;

  constructor(private readonly slos: readonly Slo[]) {
    this.ownErrors = new Counter({
      name: 'yardstick_internal_errors_total',
      help: "Failures on yardstick's own side (measuring, exporting) by stage; traffic passed through unchanged.",
      labelNames: ['stage'],
      registers: [this.registry],
    });
    collectDefaultMetrics({ register: this.registry });
    // Gauges that prom-client names like counters, which Prometheus's own checker refuses.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_resources_total', 'nodejs_active_requests_total'])
      this.registry.removeSingleMetric(name);
  }

  private seriesOf(labels: ExchangeLabels): ExchangeSeries {
    const model = this.models.of(labels.model ?? 'unknown');
    let byEndpoint = this.series.get(model);
    if (byEndpoint === undefined) {
      byEndpoint = new Map();
      this.series.set(model, byEndpoint);
    }
    let series = byEndpoint.get(labels.endpoint);
    if (series === undefined) {
      series = new ExchangeSeries(
        labelPairs([
          ['model', model],
          ['endpoint', labels.endpoint],
        ]),
      );
      byEndpoint.set(labels.endpoint, series);
    }
    return series;
  }

  /** A request went upstream. */
  started(labels: ExchangeLabels): void {
    const series = this.seriesOf(labels);
    series.inFlight = added(series.inFlight, 1);
  }

  /** A request ended: counted by outcome, and measured when it completed; whether it completed within every SLO. */
  ended(labels: ExchangeLabels, exchange: Exchange): boolean {
    const series = this.seriesOf(labels);
    series.inFlight = added(series.inFlight, -1);
    countIn(series.outcomes, exchange.status === 'ok' ? 'ok' : (exchange.error?.category ?? exchange.status));
    if (exchange.status !== 'ok') return false;
    const timings = requestTimingsNs(exchange);
    series.e2e.observe(timings.e2e / NS_PER_S);
    if (timings.ttft !== null) series.ttft.observe(timings.ttft / NS_PER_S);
    if (timings.ttfo !== null) series.ttfo.observe(timings.ttfo / NS_PER_S);
    if (timings.tpot !== null) series.tpot.observe(timings.tpot / NS_PER_S);
    forEachChunkGap(exchange, (gapNs, tokens) => series.itl.observe(gapNs / tokens / NS_PER_S, tokens));
    if (exchange.tokensIn !== null && exchange.tokenSource === 'server') {
      series.promptTokens.observe(exchange.tokensIn);
      series.promptTokensTotal = added(series.promptTokensTotal, exchange.tokensIn);
    }
    if (exchange.tokensOut !== null) {
      series.generationTokens.observe(exchange.tokensOut);
      series.generationTokensTotal = added(series.generationTokensTotal, exchange.tokensOut);
    }
    countIn(series.finishReasons, finishReasonLabel(exchange.finishReason));
    const good = meetsSlos(timings, this.slos);
    if (good) series.good = added(series.good, 1);
    return good;
  }

  /** A request ended that could not be measured (its body was compressed): counted, not timed. */
  unmeasured(labels: ExchangeLabels): void {
    const series = this.seriesOf(labels);
    series.inFlight = added(series.inFlight, -1);
    countIn(series.outcomes, 'unmeasured');
  }

  /** yardstick failed at `stage`; the traffic was not affected. */
  ownError(stage: string): void {
    this.ownErrors.inc({ stage });
  }

  /** The Prometheus text exposition of every metric. */
  async text(): Promise<string> {
    const all = [...this.series.values()].flatMap((byEndpoint) => [...byEndpoint.values()]);
    const families = FAMILIES.map((family) =>
      [...familyHead(family.name, family.help, family.type), ...all.flatMap(family.lines)].join('\n'),
    );
    return `${families.join('\n\n')}\n\n${await this.registry.metrics()}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

const FINISH_REASONS = new Set(['stop', 'length', 'tool_calls', 'content_filter', 'function_call', 'abort', 'error']);

function finishReasonLabel(reason: string | undefined | null): string {
  if (reason === undefined || reason === null || reason === '') return 'none';
  return FINISH_REASONS.has(reason) ? reason : 'other';
}

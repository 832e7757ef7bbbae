import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { NS_PER_S } from '../core/clock.js';
import type { Exchange } from '../core/types.js';
import { forEachChunkGap, requestTimingsNs } from '../efficiency/request-metrics.js';
import { meetsSlos, type Slo } from '../efficiency/slo.js';
import { LabelValues } from './label-values.js';

/** Seconds, from 1 ms to 80 s: first tokens and whole requests of LLM servers. */
const LATENCY_BUCKETS_S = [
  0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 20,
  40, 80,
];
/** Seconds, from 0.5 ms to 2 s: the gap between tokens. */
const TOKEN_GAP_BUCKETS_S = [
  0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1,
  2,
];
/** Tokens per request, 1 to 128k in powers of two. */
const TOKEN_COUNT_BUCKETS = Array.from({ length: 18 }, (_, i) => 2 ** i);

const LABELS = ['model', 'endpoint'] as const;

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

/**
 * yardstick's Prometheus metrics of the exchanges it measures (docs/operations.md lists each): requests by outcome,
 * latency histograms in seconds (ttft, ttfo, itl per token, tpot, e2e), tokens per request and in total, requests that
 * met every SLO (goodput), requests in flight; plus the process's own metrics. One registry per instance.
 */
export class ExchangeMetrics {
  readonly registry = new Registry();
  private readonly models = new LabelValues(50);
  private readonly requests: Counter<'model' | 'endpoint' | 'outcome'>;
  private readonly good: Counter<'model' | 'endpoint'>;
  private readonly inFlight: Gauge<'model' | 'endpoint'>;
  private readonly e2e: Histogram<'model' | 'endpoint'>;
  private readonly ttft: Histogram<'model' | 'endpoint'>;
  private readonly ttfo: Histogram<'model' | 'endpoint'>;
  private readonly itl: Histogram<'model' | 'endpoint'>;
  private readonly tpot: Histogram<'model' | 'endpoint'>;
  private readonly promptTokens: Histogram<'model' | 'endpoint'>;
  private readonly generationTokens: Histogram<'model' | 'endpoint'>;
  private readonly promptTokensTotal: Counter<'model' | 'endpoint'>;
  private readonly generationTokensTotal: Counter<'model' | 'endpoint'>;
  private readonly finishReasons: Counter<'model' | 'endpoint' | 'reason'>;
  private readonly ownErrors: Counter<'stage'>;

  constructor(private readonly slos: readonly Slo[]) {
    const registers = [this.registry];
    const histogram = (name: string, help: string, buckets: number[]): Histogram<'model' | 'endpoint'> =>
      new Histogram({ name, help, labelNames: LABELS, buckets, registers });
    const counter = (name: string, help: string): Counter<'model' | 'endpoint'> =>
      new Counter({ name, help, labelNames: LABELS, registers });
    this.requests = new Counter({
      name: 'yardstick_requests_total',
      help: "Inference requests that ended, by outcome: 'ok', the error's category (http_4xx, http_429, http_5xx, timeout, connection, malformed_response, stream_error, cancelled), or 'unmeasured' (a compressed body, passed through unread).",
      labelNames: [...LABELS, 'outcome'],
      registers,
    });
    this.good = counter(
      'yardstick_good_requests_total',
      'Requests that completed and met every declared SLO (goodput); every completed request when none is declared.',
    );
    this.inFlight = new Gauge({
      name: 'yardstick_requests_in_flight',
      help: 'Inference requests sent upstream and not yet ended.',
      labelNames: LABELS,
      registers,
    });
    this.e2e = histogram(
      LATENCY_HISTOGRAMS.e2e,
      'End-to-end latency of completed requests: from sending to the last token (streamed) or the whole body.',
      LATENCY_BUCKETS_S,
    );
    this.ttft = histogram(
      LATENCY_HISTOGRAMS.ttft,
      'Time to the first generated token (content, reasoning or tool call) of completed streamed requests.',
      LATENCY_BUCKETS_S,
    );
    this.ttfo = histogram(
      LATENCY_HISTOGRAMS.ttfo,
      'Time to the first content token (after any reasoning) of completed streamed requests.',
      LATENCY_BUCKETS_S,
    );
    this.itl = histogram(
      'yardstick_inter_token_latency_seconds',
      'Gap between consecutive tokens of completed streamed requests, one observation per token (a chunk of n tokens spreads its gap over them).',
      TOKEN_GAP_BUCKETS_S,
    );
    this.tpot = histogram(
      LATENCY_HISTOGRAMS.tpot,
      'Per request: (last token − first token) / (output tokens − 1), for streamed requests of two or more tokens.',
      TOKEN_GAP_BUCKETS_S,
    );
    this.promptTokens = histogram(
      'yardstick_request_prompt_tokens',
      "Prompt tokens per completed request, from the server's usage (requests without it are left out).",
      TOKEN_COUNT_BUCKETS,
    );
    this.generationTokens = histogram(
      'yardstick_request_generation_tokens',
      "Output tokens per completed request: the server's usage, else the client tokenizer's count.",
      TOKEN_COUNT_BUCKETS,
    );
    this.promptTokensTotal = counter('yardstick_prompt_tokens_total', 'Prompt tokens of completed requests.');
    this.generationTokensTotal = counter('yardstick_generation_tokens_total', 'Output tokens of completed requests.');
    this.finishReasons = new Counter({
      name: 'yardstick_finish_reasons_total',
      help: "Completed requests by the finish reason the server gave (stop, length, tool_calls, content_filter; 'none' when it gave none).",
      labelNames: [...LABELS, 'reason'],
      registers,
    });
    this.ownErrors = new Counter({
      name: 'yardstick_internal_errors_total',
      help: "Failures on yardstick's own side (measuring, exporting) by stage; traffic passed through unchanged.",
      labelNames: ['stage'],
      registers,
    });
    collectDefaultMetrics({ register: this.registry });
    // Gauges that prom-client names like counters, which Prometheus's own checker refuses.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
      this.registry.removeSingleMetric(name);
  }

  private labels(labels: ExchangeLabels): Record<'model' | 'endpoint', string> {
    return { model: this.models.of(labels.model ?? 'unknown'), endpoint: labels.endpoint };
  }

  /** A request went upstream. */
  started(labels: ExchangeLabels): void {
    this.inFlight.inc(this.labels(labels));
  }

  /** A request ended: counted by outcome, and measured when it completed; whether it completed within every SLO. */
  ended(labels: ExchangeLabels, exchange: Exchange): boolean {
    const by = this.labels(labels);
    this.inFlight.dec(by);
    const outcome = exchange.status === 'ok' ? 'ok' : (exchange.error?.category ?? exchange.status);
    this.requests.inc({ ...by, outcome });
    if (exchange.status !== 'ok') return false;
    const timings = requestTimingsNs(exchange);
    this.e2e.observe(by, timings.e2e / NS_PER_S);
    if (timings.ttft !== null) this.ttft.observe(by, timings.ttft / NS_PER_S);
    if (timings.ttfo !== null) this.ttfo.observe(by, timings.ttfo / NS_PER_S);
    if (timings.tpot !== null) this.tpot.observe(by, timings.tpot / NS_PER_S);
    forEachChunkGap(exchange, (gapNs, tokens) => {
      const perToken = gapNs / tokens / NS_PER_S;
      for (let i = 0; i < tokens; i += 1) this.itl.observe(by, perToken);
    });
    if (exchange.tokensIn !== null && exchange.tokenSource === 'server') {
      this.promptTokens.observe(by, exchange.tokensIn);
      this.promptTokensTotal.inc(by, exchange.tokensIn);
    }
    if (exchange.tokensOut !== null) {
      this.generationTokens.observe(by, exchange.tokensOut);
      this.generationTokensTotal.inc(by, exchange.tokensOut);
    }
    this.finishReasons.inc({ ...by, reason: finishReasonLabel(exchange.finishReason) });
    const good = meetsSlos(timings, this.slos);
    if (good) this.good.inc(by);
    return good;
  }

  /** A request ended that could not be measured (its body was compressed): counted, not timed. */
  unmeasured(labels: ExchangeLabels): void {
    const by = this.labels(labels);
    this.inFlight.dec(by);
    this.requests.inc({ ...by, outcome: 'unmeasured' });
  }

  /** yardstick failed at `stage`; the traffic was not affected. */
  ownError(stage: string): void {
    this.ownErrors.inc({ stage });
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
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

import {
  ERROR_CATEGORIES,
  LATENCY_METRICS,
  type ErrorCategory,
  type Exchange,
  type LatencyMetric,
} from '../core/types.js';
import { SessionRecorder, type SessionOutcome, type SessionState, type SessionsSummary } from './session-recorder.js';
import { addErrorSample, mergeErrorSamples, type ErrorSample } from './error-samples.js';
import { LatencyHistogram, type LatencyHistogramState } from './latency-histogram.js';
import { endsInWindow, windowIncludes, type MeasurementWindow } from './measurement-window.js';
import { forEachChunkGap, networkTimingsNs, requestTimingsNs } from './request-metrics.js';
import { meetsSlos, type Slo } from './slo.js';

/** Counters of a recorder; all mergeable by addition (or min/max for the time bounds). */
export interface RecorderCounts {
  completed: number;
  errored: number;
  incomplete: number;
  /** Requests left out as warm-up or cool-down. */
  excluded: number;
  /** Requests sent a second time because a reused connection closed before answering (whatever their outcome). */
  resent: number;
  /** Completed requests that went out on a new connection, on a reused one, or on one the HTTP client did not describe. */
  connections: ConnectionCounts;
  errors: Record<ErrorCategory, number>;
  /** The first distinct messages of each error category, with how often each occurred. */
  errorSamples: ErrorSample[];
  /** Completed requests by the finish reason the server gave (`stop`, `length`, `tool_calls`…). */
  finishReasons: Record<string, number>;
  inputTokens: number;
  outputTokens: number;
  /** Requests that completed and met every SLO. */
  good: number;
  /**
   * Completions, output tokens and SLO-meeting completions that the throughputs count: in a time window, the
   * requests that ended inside it (whenever they were sent); otherwise every measured completion.
   */
  completedInWindow: number;
  outputTokensInWindow: number;
  goodInWindow: number;
  serverCountedRequests: number;
  clientCountedRequests: number;
  /** Requests where the server's output-token count differs from the client tokenizer's. */
  tokenMismatchRequests: number;
  tokenMismatchAbsSum: number;
  /** Earliest time a measured request was due: its intended send (open loop) or actual send (closed loop). */
  firstDueAt: number | null;
  lastEndedAt: number | null;
}

/** How many completed requests opened a connection, reused one, or went out where the client could not say (undici, a local model). */
export interface ConnectionCounts {
  opened: number;
  reused: number;
  unknown: number;
}

export interface RecorderState {
  counts: RecorderCounts;
  histograms: Record<LatencyMetric, LatencyHistogramState>;
  /** Multi-turn sessions' outcomes and per-turn latencies; absent when the run sent single requests. */
  sessions?: SessionState;
}

function emptyCounts(): RecorderCounts {
  const errors = Object.fromEntries(ERROR_CATEGORIES.map((c) => [c, 0])) as Record<ErrorCategory, number>;
  return {
    completed: 0,
    errored: 0,
    incomplete: 0,
    excluded: 0,
    resent: 0,
    connections: { opened: 0, reused: 0, unknown: 0 },
    errors,
    errorSamples: [],
    finishReasons: {},
    inputTokens: 0,
    outputTokens: 0,
    good: 0,
    completedInWindow: 0,
    outputTokensInWindow: 0,
    goodInWindow: 0,
    serverCountedRequests: 0,
    clientCountedRequests: 0,
    tokenMismatchRequests: 0,
    tokenMismatchAbsSum: 0,
    firstDueAt: null,
    lastEndedAt: null,
  };
}

function minOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/**
 * Turns a stream of exchanges into mergeable statistics and forgets each exchange at once,
 * so memory stays flat however many requests a run sends.
 */
export class MetricsRecorder {
  readonly counts: RecorderCounts = emptyCounts();
  private readonly histograms: Record<LatencyMetric, LatencyHistogram>;
  /** Created by the first session recorded. */
  private sessionRecorder: SessionRecorder | null = null;

  constructor(
    private readonly window: MeasurementWindow | null,
    private readonly slos: readonly Slo[],
  ) {
    this.histograms = Object.fromEntries(LATENCY_METRICS.map((m) => [m, new LatencyHistogram()])) as Record<
      LatencyMetric,
      LatencyHistogram
    >;
  }

  /** Records one finished exchange (any status). */
  record(exchange: Exchange): void {
    const c = this.counts;
    const included = this.window === null || windowIncludes(this.window, exchange);
    if (included) {
      c.firstDueAt = minOrNull(c.firstDueAt, exchange.intendedAt ?? exchange.sentAt);
      c.lastEndedAt = maxOrNull(c.lastEndedAt, exchange.endedAt);
      if (exchange.resent === true) c.resent += 1;
    } else {
      c.excluded += 1;
    }
    if (exchange.status === 'ok') this.recordCompleted(exchange, included);
    else if (included) this.recordUnfinished(exchange);
  }

  /** Records one exchange that was turn `turn` (from 0) of a multi-turn session. */
  recordTurn(turn: number, exchange: Exchange): void {
    this.record(exchange);
    const sessions = (this.sessionRecorder ??= new SessionRecorder());
    if (exchange.status === 'ok' && (this.window === null || windowIncludes(this.window, exchange)))
      sessions.recordTurn(turn, exchange);
  }

  recordSession(outcome: SessionOutcome): void {
    (this.sessionRecorder ??= new SessionRecorder()).recordSession(outcome);
  }

  /** The sessions' outcomes and per-turn latencies; null when no session was recorded. */
  sessions(): SessionsSummary | null {
    return this.sessionRecorder?.summary() ?? null;
  }

  private recordUnfinished(exchange: Exchange): void {
    const c = this.counts;
    if (exchange.status === 'cancelled') {
      c.incomplete += 1;
      return;
    }
    const category = exchange.error?.category ?? 'connection';
    c.errored += 1;
    c.errors[category] += 1;
    addErrorSample(c.errorSamples, category, exchange.error?.message ?? 'no message');
  }

  /**
   * A completed exchange: its latencies and counts when it is measured, and its part in the throughputs — in a
   * time window every completion that ended inside it, whenever it was sent; otherwise every measured completion.
   */
  private recordCompleted(exchange: Exchange, included: boolean): void {
    const timeWindow = this.window?.kind === 'time' ? this.window : null;
    const inThroughput = timeWindow === null ? included : endsInWindow(timeWindow, exchange);
    if (!included && !inThroughput) return;
    const timings = requestTimingsNs(exchange);
    const good = meetsSlos(timings, this.slos);
    if (inThroughput) this.addThroughput(exchange, good);
    if (!included) return;
    const c = this.counts;
    c.completed += 1;
    if (exchange.finishReason !== undefined)
      c.finishReasons[exchange.finishReason] = (c.finishReasons[exchange.finishReason] ?? 0) + 1;
    c.inputTokens += exchange.tokensIn ?? 0;
    c.outputTokens += exchange.tokensOut ?? 0;
    this.recordTokenSource(exchange);
    const h = this.histograms;
    h.e2e.recordNs(timings.e2e);
    if (timings.e2eFromIntended !== null) h.e2eFromIntended.recordNs(timings.e2eFromIntended);
    if (timings.scheduleLag !== null) h.scheduleLag.recordNs(timings.scheduleLag);
    if (timings.ttft !== null) h.ttft.recordNs(timings.ttft);
    if (timings.ttfo !== null) h.ttfo.recordNs(timings.ttfo);
    if (timings.tpot !== null) h.tpot.recordNs(timings.tpot);
    forEachChunkGap(exchange, (gapNs, tokens) => {
      h.chunkGap.recordNs(gapNs);
      const perTokenNs = gapNs / Math.max(1, tokens);
      for (let t = 0; t < Math.max(1, tokens); t += 1) h.itl.recordNs(perTokenNs);
    });
    this.recordNetwork(exchange);
    if (good) c.good += 1;
  }

  private recordNetwork(exchange: Exchange): void {
    const reused = exchange.network?.reused ?? null;
    const connections = this.counts.connections;
    if (reused === null) connections.unknown += 1;
    else if (reused) connections.reused += 1;
    else connections.opened += 1;
    const n = networkTimingsNs(exchange);
    const h = this.histograms;
    if (n.dns !== null) h.dns.recordNs(n.dns);
    if (n.connect !== null) h.connect.recordNs(n.connect);
    if (n.tls !== null) h.tls.recordNs(n.tls);
    if (n.ttfb !== null) h.ttfb.recordNs(n.ttfb);
    if (n.receive !== null) h.receive.recordNs(n.receive);
  }

  private addThroughput(exchange: Exchange, good: boolean): void {
    const c = this.counts;
    c.completedInWindow += 1;
    c.outputTokensInWindow += exchange.tokensOut ?? 0;
    if (good) c.goodInWindow += 1;
  }

  private recordTokenSource(exchange: Exchange): void {
    const c = this.counts;
    if (exchange.tokenSource === 'server') c.serverCountedRequests += 1;
    if (exchange.tokenSource === 'client') c.clientCountedRequests += 1;
    if (exchange.tokenSource === 'server' && exchange.clientTokensOut !== null && exchange.tokensOut !== null) {
      const diff = Math.abs(exchange.tokensOut - exchange.clientTokensOut);
      if (diff > 0) {
        c.tokenMismatchRequests += 1;
        c.tokenMismatchAbsSum += diff;
      }
    }
  }

  histogram(metric: LatencyMetric): LatencyHistogram {
    return this.histograms[metric];
  }

  serialize(): RecorderState {
    const histograms = Object.fromEntries(LATENCY_METRICS.map((m) => [m, this.histograms[m].serialize()])) as Record<
      LatencyMetric,
      LatencyHistogramState
    >;
    const sessions = this.sessionRecorder?.serialize();
    return { counts: structuredClone(this.counts), histograms, ...(sessions === undefined ? {} : { sessions }) };
  }

  /** Adds another recorder's state (from a worker thread or another sweep step). */
  merge(state: RecorderState): void {
    const c = this.counts;
    const o = state.counts;
    c.completed += o.completed;
    c.errored += o.errored;
    c.incomplete += o.incomplete;
    c.excluded += o.excluded;
    c.resent += o.resent;
    c.connections.opened += o.connections.opened;
    c.connections.reused += o.connections.reused;
    c.connections.unknown += o.connections.unknown;
    for (const category of ERROR_CATEGORIES) c.errors[category] += o.errors[category];
    mergeErrorSamples(c.errorSamples, o.errorSamples);
    for (const [reason, count] of Object.entries(o.finishReasons))
      c.finishReasons[reason] = (c.finishReasons[reason] ?? 0) + count;
    c.inputTokens += o.inputTokens;
    c.outputTokens += o.outputTokens;
    c.good += o.good;
    c.completedInWindow += o.completedInWindow;
    c.outputTokensInWindow += o.outputTokensInWindow;
    c.goodInWindow += o.goodInWindow;
    c.serverCountedRequests += o.serverCountedRequests;
    c.clientCountedRequests += o.clientCountedRequests;
    c.tokenMismatchRequests += o.tokenMismatchRequests;
    c.tokenMismatchAbsSum += o.tokenMismatchAbsSum;
    c.firstDueAt = minOrNull(c.firstDueAt, o.firstDueAt);
    c.lastEndedAt = maxOrNull(c.lastEndedAt, o.lastEndedAt);
    for (const metric of LATENCY_METRICS) this.histograms[metric].merge(state.histograms[metric]);
    if (state.sessions !== undefined) (this.sessionRecorder ??= new SessionRecorder()).merge(state.sessions);
  }
}

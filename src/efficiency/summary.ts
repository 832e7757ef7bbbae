import { NS_PER_S } from '../core/clock.js';
import { LATENCY_METRICS, type ErrorCategory, type LatencyMetric, type LatencyStats } from '../core/types.js';
import type { ErrorSample } from './error-samples.js';
import type { ConnectionCounts, MetricsRecorder } from './recorder.js';
import type { SessionsSummary } from './session-recorder.js';
import { DEFAULT_VALIDITY_RULES, judgeValidity, latencyBounds, type Validity, type ValidityRules } from './validity.js';

/** The efficiency summary of one schedule (a whole run, or one step of a sweep). */
export interface EfficiencySummary {
  label: string;
  /** `resent`: requests sent a second time because a reused connection closed before answering (counted once each, whatever their outcome). */
  requests: { completed: number; errored: number; incomplete: number; excluded: number; resent: number };
  durationS: number;
  throughput: { requestsPerS: number; outputTokensPerS: number; goodputPerS: number | null };
  rate: { targetPerS: number | null; achievedPerS: number };
  latencyMs: Record<LatencyMetric, LatencyStats | null>;
  errors: Partial<Record<ErrorCategory, number>>;
  /** The first distinct messages of each error category (up to 5 each), with how often each occurred. */
  errorSamples: ErrorSample[];
  /** Completed requests by the server's finish reason (`length`: cut at max_tokens or the context limit). */
  finishReasons: Record<string, number>;
  /** Completed requests by the connection they went out on: opened for them, reused, or not described by the HTTP client. */
  connections: ConnectionCounts;
  tokens: {
    input: number;
    output: number;
    serverCountedRequests: number;
    clientCountedRequests: number;
    mismatchedRequests: number;
    meanAbsMismatch: number | null;
  };
  /** Whether the duration and the sample counts support the percentiles reported, with each percentile's bounds. */
  validity: Validity;
  /** The distributions `yardstick compare` resamples, as compressed HDR histograms (base64), for the metrics measured. */
  histograms: Partial<Record<ComparedMetric, string>>;
  /** Multi-turn sessions: how they ended and each turn's latency; absent for single requests. */
  sessions?: SessionsSummary;
  /** Why the step was stopped before its end (a capacity search's over-saturated step); absent when it ran out. */
  stoppedEarly?: string;
}

/** The metrics whose whole distribution is kept with a run, for comparing runs. */
export const COMPARED_METRICS = ['ttft', 'e2e', 'itl', 'tpot'] as const;
export type ComparedMetric = (typeof COMPARED_METRICS)[number];

export interface SummaryWindow {
  /** Measured window in nanoseconds; sets the denominator of every rate. */
  durationNs: number;
  targetRatePerS: number | null;
  /** Requests sent inside the window (for the achieved rate). */
  sentInWindow: number;
  hasSlos: boolean;
  /** What makes the result valid (default: DEFAULT_VALIDITY_RULES). */
  validity?: ValidityRules;
}

/** Builds the summary of a recorder over its measurement window. */
export function summarize(label: string, recorder: MetricsRecorder, window: SummaryWindow): EfficiencySummary {
  const c = recorder.counts;
  const durationS = window.durationNs / NS_PER_S;
  const perS = (count: number): number => (durationS > 0 ? count / durationS : 0);
  const latencyMs = Object.fromEntries(LATENCY_METRICS.map((m) => [m, recorder.histogram(m).statsMs()])) as Record<
    LatencyMetric,
    LatencyStats | null
  >;
  const errors: Partial<Record<ErrorCategory, number>> = {};
  for (const [category, count] of Object.entries(c.errors) as [ErrorCategory, number][]) {
    if (count > 0) errors[category] = count;
  }
  const rules = window.validity ?? DEFAULT_VALIDITY_RULES;
  const validity = judgeValidity(
    durationS,
    latencyBounds((metric) => recorder.histogram(metric), rules.confidence),
    rules,
  );
  const histograms: Partial<Record<ComparedMetric, string>> = {};
  for (const metric of COMPARED_METRICS) {
    const encoded = recorder.histogram(metric).serialize().encoded;
    if (encoded !== null) histograms[metric] = encoded;
  }
  const sessions = recorder.sessions();
  return {
    label,
    validity,
    histograms,
    ...(sessions === null ? {} : { sessions }),
    requests: {
      completed: c.completed,
      errored: c.errored,
      incomplete: c.incomplete,
      excluded: c.excluded,
      resent: c.resent,
    },
    durationS,
    throughput: {
      requestsPerS: perS(c.completedInWindow),
      outputTokensPerS: perS(c.outputTokensInWindow),
      goodputPerS: window.hasSlos ? perS(c.goodInWindow) : null,
    },
    rate: { targetPerS: window.targetRatePerS, achievedPerS: perS(window.sentInWindow) },
    latencyMs,
    errors,
    errorSamples: structuredClone(c.errorSamples),
    finishReasons: { ...c.finishReasons },
    connections: { ...c.connections },
    tokens: {
      input: c.inputTokens,
      output: c.outputTokens,
      serverCountedRequests: c.serverCountedRequests,
      clientCountedRequests: c.clientCountedRequests,
      mismatchedRequests: c.tokenMismatchRequests,
      meanAbsMismatch: c.tokenMismatchRequests === 0 ? null : c.tokenMismatchAbsSum / c.tokenMismatchRequests,
    },
  };
}

/** Share of finished requests that failed (cancelled ones are not counted either way); 0 when none finished. */
export function errorRate(summary: EfficiencySummary): number {
  const finished = summary.requests.completed + summary.requests.errored;
  return finished === 0 ? 0 : summary.requests.errored / finished;
}

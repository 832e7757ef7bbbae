import { stringify } from 'yaml';
import type { Slo } from '../efficiency/slo.js';
import { LATENCY_HISTOGRAMS, type LiveSloMetric } from './exchange-metrics.js';

/** What the alerts watch for: the per-request SLOs, and the bounds on the share of bad requests. */
export interface AlertSettings {
  slos: readonly Slo[];
  /** The latency quantile an SLO alert compares with the SLO's limit (0.95: p95). */
  quantile: number;
  /** Share of requests the SLOs must hold for (0.99): the rest is the error budget that burn-rate alerts watch. */
  objective: number;
  /** Share of failed requests above which the error alert fires. */
  errorRatio: number;
  /** The window latency quantiles and the error ratio are taken over, in milliseconds (5 minutes by default). */
  windowMs: number;
  /** How long a latency or error condition must hold before it fires, in milliseconds. */
  forMs: number;
}

/** A Prometheus alerting rule. */
export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Outcomes that say nothing about the server: the client left, or the response was not read. */
const NOT_THE_SERVERS = 'cancelled|unmeasured';

/**
 * Multi-window burn-rate alerts (the Google SRE workbook's): a burn rate (bad share ÷ error budget) above the factor
 * over both the long window and the short one; the short window ends the alert soon after the burning stops.
 */
const BURN_WINDOWS = [
  { name: 'Fast', factor: 14.4, long: '1h', short: '5m', for: '2m', severity: 'page' },
  { name: 'Slow', factor: 6, long: '6h', short: '30m', for: '15m', severity: 'ticket' },
] as const;

/** A duration in Prometheus's notation: `5m`, `30s`, `1h`, `250ms`. */
export function promDuration(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms > 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${Math.round(ms)}ms`;
}

function seconds(ns: number): string {
  return String(Number((ns / 1e9).toPrecision(6)));
}

function percent(share: number): string {
  return `${Number((share * 100).toPrecision(6))}%`;
}

function title(metric: string): string {
  return metric.charAt(0).toUpperCase() + metric.slice(1);
}

/** The share of ended requests (by model) that were not good, over `window`. */
function badShare(window: string): string {
  return (
    `1 - sum by (model) (rate(yardstick_good_requests_total[${window}]))` +
    ` / sum by (model) (rate(yardstick_requests_total{outcome!~"${NOT_THE_SERVERS}"}[${window}]))`
  );
}

/** The latency alert of one SLO: the quantile of its histogram over 5 minutes above the SLO's limit. */
function latencyRule(slo: Slo & { metric: LiveSloMetric }, settings: AlertSettings): AlertRule {
  const histogram = LATENCY_HISTOGRAMS[slo.metric];
  const window = promDuration(settings.windowMs);
  const percentile = `p${Number((settings.quantile * 100).toPrecision(4))}`;
  return {
    alert: `Yardstick${title(slo.metric)}${title(percentile)}AboveSlo`,
    expr: `histogram_quantile(${settings.quantile}, sum by (model, le) (rate(${histogram}_bucket[${window}]))) > ${seconds(slo.limitNs)}`,
    for: promDuration(settings.forMs),
    labels: { severity: 'warning', slo: slo.expr },
    annotations: {
      summary: `${percentile} ${slo.metric} of {{ $labels.model }} is above its SLO (${slo.expr})`,
      description: `Over the last ${window}, the ${percentile} of ${slo.metric} measured by yardstick proxy was {{ $value | humanizeDuration }}.`,
    },
  };
}

/** Whether an SLO's metric has a histogram the proxy exports (the scheduling metrics of a load test do not). */
export function isLiveSlo(slo: Slo): slo is Slo & { metric: LiveSloMetric } {
  return slo.metric in LATENCY_HISTOGRAMS;
}

/** The alerting rules for a set of SLOs over the proxy's metrics, in the order they are written. */
export function alertRules(settings: AlertSettings): AlertRule[] {
  const rules: AlertRule[] = settings.slos.filter(isLiveSlo).map((slo) => latencyRule(slo, settings));
  const window = promDuration(settings.windowMs);
  rules.push({
    alert: 'YardstickErrorRatioHigh',
    expr:
      `sum by (model) (rate(yardstick_requests_total{outcome!~"ok|${NOT_THE_SERVERS}"}[${window}]))` +
      ` / sum by (model) (rate(yardstick_requests_total{outcome!~"${NOT_THE_SERVERS}"}[${window}])) > ${settings.errorRatio}`,
    for: promDuration(settings.forMs),
    labels: { severity: 'warning' },
    annotations: {
      summary: `more than ${percent(settings.errorRatio)} of the requests to {{ $labels.model }} fail`,
      description: `Over the last ${window}, {{ $value | humanizePercentage }} of the requests ended in an error.`,
    },
  });
  const budget = 1 - settings.objective;
  for (const burn of BURN_WINDOWS) {
    const limit = Number((burn.factor * budget).toPrecision(6));
    rules.push({
      alert: `YardstickGoodputBudgetBurn${burn.name}`,
      expr: `(${badShare(burn.long)}) > ${limit} and (${badShare(burn.short)}) > ${limit}`,
      for: burn.for,
      labels: { severity: burn.severity },
      annotations: {
        summary: `{{ $labels.model }} spends its error budget ${burn.factor} times too fast`,
        description: `More than ${percent(limit)} of requests missed an SLO or failed over both the last ${burn.long} and ${burn.short}; at this rate the ${percent(budget)} budget of a ${percent(settings.objective)} objective lasts ${Number((30 / burn.factor).toPrecision(3))} days of 30.`,
      },
    });
  }
  rules.push(
    {
      alert: 'YardstickCanaryFailing',
      expr: 'yardstick_canary_thresholds_failing > 0',
      for: '0m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'the canary of {{ $labels.suite }} on {{ $labels.target }} fails {{ $value }} of its thresholds',
        description: 'The last `yardstick canary` run missed a threshold; `yardstick runs show` prints the run.',
      },
    },
    {
      alert: 'YardstickCanaryRegression',
      expr: 'yardstick_canary_significant_regressions > 0',
      for: '0m',
      labels: { severity: 'warning' },
      annotations: {
        summary: '{{ $labels.target }} got significantly worse at {{ $labels.suite }}',
        description:
          '{{ $value }} metrics of the last canary run are worse than in the run before, beyond chance (paired tests, Holm-adjusted, 5%).',
      },
    },
    {
      alert: 'YardstickColumnDrift',
      expr: 'yardstick_drift_detected > 0',
      for: '0m',
      labels: { severity: 'warning' },
      annotations: {
        summary: '{{ $labels.column }} of the sampled requests drifted from the reference',
        description:
          "In the last closed window the column differs from the reference beyond chance and beyond the minimum effect (yardstick_drift_statistic and yardstick_drift_p_value have the numbers; the proxy run's report charts every window).",
      },
    },
    {
      alert: 'YardstickDatasetDrift',
      expr: 'yardstick_drift_dataset_detected > 0',
      for: '0m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'the sampled requests drifted from the reference as a whole',
        description:
          'The last closed window drifted by the dataset rule (--drift-method); accuracy measured on the reference may no longer hold, so run the canary suite or rebuild the reference.',
      },
    },
    {
      alert: 'YardstickDataQualityErrors',
      expr: 'yardstick_data_quality_findings{severity="error"} > 0',
      for: '0m',
      labels: { severity: 'warning' },
      annotations: {
        summary:
          'data-quality errors of check {{ $labels.check }} in the last window of sampled requests: {{ $value }}',
        description:
          'A column of the reference is missing from every live request of the window: a client or a field mapping changed.',
      },
    },
    {
      alert: 'YardstickReplicasShort',
      expr: 'yardstick_replicas_needed{load="current"} > ignoring(load) yardstick_replicas_declared',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'the load needs {{ $value }} replicas under the SLOs, more than are declared',
        description:
          "For 5 minutes the last minute's rate, with headroom, has needed more replicas than --replicas declares (capacity from the plan given with --capacity): scale up.",
      },
    },
  );
  return rules;
}

/** The rules as a Prometheus rule file. */
export function alertRulesYaml(settings: AlertSettings): string {
  const header =
    '# Alerting rules over the metrics of `yardstick proxy` (docs/operations.md), written by `yardstick alert-rules`.\n' +
    `# SLOs: ${settings.slos.map((s) => s.expr).join('; ') || 'none'}; objective ${settings.objective}; error ratio ${settings.errorRatio}.\n`;
  return header + stringify({ groups: [{ name: 'yardstick', rules: alertRules(settings) }] }, { lineWidth: 0 });
}

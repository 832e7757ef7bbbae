import { Counter, Gauge, Registry } from 'prom-client';
import type { CanaryResult } from './canary-round.js';

const LABELS = ['suite', 'target'] as const;

/**
 * The canaries' results as Prometheus metrics, for dashboards and alerts: each suite metric's value and interval,
 * failing thresholds, significant changes since the previous run, and when the last run ended.
 */
export class CanaryMetrics {
  readonly registry = new Registry();
  private readonly metric: Gauge<'suite' | 'target' | 'metric' | 'bound'>;
  private readonly failing: Gauge<'suite' | 'target'>;
  private readonly regressions: Gauge<'suite' | 'target'>;
  private readonly lastRun: Gauge<'suite' | 'target'>;
  private readonly runs: Counter<'suite' | 'target' | 'result'>;

  constructor() {
    const registers = [this.registry];
    this.metric = new Gauge({
      name: 'yardstick_canary_metric',
      help: "A suite metric of the last canary run (accuracy, pass_rate…), with bound='value', 'lower' or 'upper' (its interval).",
      labelNames: [...LABELS, 'metric', 'bound'],
      registers,
    });
    this.failing = new Gauge({
      name: 'yardstick_canary_thresholds_failing',
      help: 'Thresholds the last canary run failed (0 when it passed them all).',
      labelNames: LABELS,
      registers,
    });
    this.regressions = new Gauge({
      name: 'yardstick_canary_significant_regressions',
      help: 'Suite metrics significantly worse than in the previous canary run (paired tests, Holm-adjusted, 5%).',
      labelNames: LABELS,
      registers,
    });
    this.lastRun = new Gauge({
      name: 'yardstick_canary_last_run_timestamp_seconds',
      help: 'When the last canary run ended (Unix time).',
      labelNames: LABELS,
      registers,
    });
    this.runs = new Counter({
      name: 'yardstick_canary_runs_total',
      help: "Canary runs by result: 'passed', 'failed' (a threshold failed or the run did not complete) or 'error' (it could not run).",
      labelNames: [...LABELS, 'result'],
      registers,
    });
  }

  /** A canary run ended. */
  record(result: CanaryResult): void {
    const by = { suite: result.suite, target: result.target };
    for (const [name, m] of Object.entries(result.metrics)) {
      this.metric.set({ ...by, metric: name, bound: 'value' }, m.value);
      if (m.ci !== null) {
        this.metric.set({ ...by, metric: name, bound: 'lower' }, m.ci[0]);
        this.metric.set({ ...by, metric: name, bound: 'upper' }, m.ci[1]);
      }
    }
    this.failing.set(by, result.thresholds.filter((t) => !t.pass).length);
    this.regressions.set(by, regressionsOf(result).length);
    this.lastRun.set(by, Date.parse(result.at) / 1000);
    this.runs.inc({ ...by, result: result.passed ? 'passed' : 'failed' });
  }

  /** A canary could not run (the target unreachable, the suite refused). */
  failedToRun(suite: string, target: string): void {
    this.runs.inc({ suite, target, result: 'error' });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The metrics significantly worse than in the previous run (every suite metric is a score: lower is worse). */
export function regressionsOf(result: CanaryResult): string[] {
  return (result.change?.metrics ?? []).filter((m) => m.significant && m.difference < 0).map((m) => m.name);
}

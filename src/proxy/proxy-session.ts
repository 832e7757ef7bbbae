import { messageOf } from '../core/errors.js';
import type { Exchange } from '../core/types.js';
import type { ColumnTable } from '../data/read-columns.js';
import { ArrivalRates } from '../monitor/arrival-rates.js';
import { DriftMonitor } from '../monitor/drift-monitor.js';
import { workerComparer, type WindowComparer } from '../monitor/window-comparer.js';
import type { DriftWindow, WindowSettings } from '../monitor/drift-window.js';
import { scalingAdvice, type ReplicaCapacity, type ScalingAdvice } from '../monitor/scaling-advice.js';
import { describeWindow, type WindowSpec } from '../monitor/window-spec.js';
import type { ExchangeLabels } from '../prometheus/exchange-metrics.js';
import type { MonitorMetrics } from '../prometheus/monitor-metrics.js';
import { RunLifecycle } from '../store/run-lifecycle.js';
import { WriteQueue } from '../store/write-queue.js';
import type { RunStatus } from '../store/run-record.js';
import type { Store } from '../store/store.js';
import type { DriftMonitorSummary, ProxyJson } from './proxy-summary.js';
import type { Redactor } from './redaction.js';
import { Sampler } from './sampler.js';
import { sampleRow } from './sample-row.js';

/** Drift and data quality of the sampled traffic against a reference, window by window. */
export interface DriftSettings extends WindowSettings {
  reference: ColumnTable;
  window: WindowSpec;
  /** Rows a window keeps at most (a uniform sample beyond). */
  maxRows: number;
}

/** The case id of a drift window among a proxy run's cases (the samples are numbered). */
export function driftWindowCaseId(index: number): string {
  return `drift-window/${index}`;
}

export interface SessionOptions {
  store: Store;
  upstream: URL;
  /** The proxy's own address. */
  listen: string;
  slos: readonly string[];
  /** The run's config as stored (no secrets: the proxy never sees the upstream's keys but in headers it does not keep). */
  config: unknown;
  sampling: { share: number; budgetBytes: number; redactor: Redactor; seed: number } | null;
  /** Needs `sampling`: the windows are made of sampled requests. */
  drift: DriftSettings | null;
  /** What one replica sustains: with it, the session advises on replicas for the live load. */
  capacity: ReplicaCapacity | null;
  /** Where drift and scaling gauges go; none when null. */
  metrics: MonitorMetrics | null;
  /** How often samples and counts are written, in milliseconds. */
  flushIntervalMs: number;
  /** A failure to write; the traffic is not affected. */
  onError: (message: string) => void;
}

/**
 * A proxy session as a stored run (kind `proxy`): requests counted by outcome, a share of them sampled into the run's
 * cases, both written every `flushIntervalMs` and when the session ends. A store that fails never stops the traffic:
 * the failure is reported and the session goes on.
 */
export class ProxySession {
  private readonly run: RunLifecycle<'proxy', ProxyJson>;
  private readonly sampler: Sampler | null;
  private readonly requests: Record<string, number> = {};
  private unmeasured = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly monitor: DriftMonitor | null;
  private readonly comparer: WindowComparer | null;
  private readonly rates = new ArrivalRates();
  /** The requests that completed within every SLO, for the share of them in the advice. */
  private readonly goodRates = new ArrivalRates();
  private drift: DriftMonitorSummary | null;
  private advice: ScalingAdvice | null = null;

  /** Writes to the store, in order, while traffic goes on. */
  private readonly writes = new WriteQueue();

  /** Starts a session: its run is recorded as running before the first request is let through. */
  static async open(options: SessionOptions): Promise<ProxySession> {
    const run = await RunLifecycle.start<'proxy', ProxyJson>(options.store, {
      kind: 'proxy',
      config: options.config,
      target: {
        kind: 'upstream',
        name: options.upstream.host,
        url: options.upstream.href,
        model: null,
        streaming: true,
      },
    });
    return new ProxySession(options, run);
  }

  private constructor(
    private readonly options: SessionOptions,
    run: RunLifecycle<'proxy', ProxyJson>,
  ) {
    this.run = run;
    this.sampler =
      options.sampling === null
        ? null
        : new Sampler({ store: options.store, runId: this.run.id, ...options.sampling, onError: options.onError });
    const drift = options.drift;
    this.drift =
      drift === null
        ? null
        : {
            reference: drift.reference.path,
            referenceRows: drift.reference.rows,
            window: describeWindow(drift.window),
            minRows: drift.minRows,
            windows: 0,
            untested: 0,
            drifted: 0,
            last: null,
          };
    this.comparer =
      drift === null
        ? null
        : workerComparer(drift.reference, { comparison: drift.comparison, types: drift.types, minRows: drift.minRows });
    this.monitor =
      drift === null || this.comparer === null
        ? null
        : new DriftMonitor({
            comparer: this.comparer,
            window: drift.window,
            maxRows: drift.maxRows,
            seed: options.sampling?.seed ?? 1,
            onWindow: (window) => this.windowClosed(window),
            onError: options.onError,
          });
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs);
    this.timer.unref();
  }

  get runId(): string {
    return this.run.id;
  }

  /** A measured exchange ended; `good`: it completed within every SLO (as the metrics counted it). */
  measured(exchange: Exchange, labels: ExchangeLabels, requestBody: Buffer, good: boolean): void {
    const outcome = exchange.status === 'ok' ? 'ok' : (exchange.error?.category ?? exchange.status);
    this.requests[outcome] = (this.requests[outcome] ?? 0) + 1;
    if (this.options.capacity !== null) {
      this.rates.add();
      if (good) this.goodRates.add();
    }
    const sample = this.sampler?.offer(exchange, labels, requestBody) ?? null;
    if (sample !== null) this.monitor?.add(sampleRow(sample));
  }

  private windowClosed(window: DriftWindow): void {
    const drift = this.drift;
    if (drift !== null) {
      drift.windows += 1;
      if (!window.tested) drift.untested += 1;
      if (window.drifted) drift.drifted += 1;
      drift.last = {
        index: window.index,
        end: window.end,
        drifted: window.drifted,
        driftedColumns: window.columns.filter((c) => c.drifted).map((c) => c.name),
        findings: window.findings.length,
      };
    }
    this.options.metrics?.window(window);
    this.writes.push(
      () =>
        this.options.store.saveCases(this.run.id, [
          { caseId: driftWindowCaseId(window.index), repeat: 0, result: window },
        ]),
      (error) => this.options.onError(`cannot keep drift window ${window.index}: ${messageOf(error)}`),
    );
  }

  private updateAdvice(): void {
    const capacity = this.options.capacity;
    if (capacity === null) return;
    const current = this.rates.currentPerS();
    this.advice = scalingAdvice(
      current,
      this.rates.peakPerS(),
      capacity,
      current > 0 ? this.goodRates.currentPerS() / current : null,
    );
    this.options.metrics?.scaling(this.advice);
  }

  /** A request passed through without measuring. */
  passedThrough(): void {
    this.unmeasured += 1;
  }

  summary(): ProxyJson {
    return {
      schemaVersion: 1,
      kind: 'proxy',
      runId: this.run.id,
      upstream: this.options.upstream.href,
      listen: this.options.listen,
      slos: [...this.options.slos],
      requests: { ...this.requests },
      unmeasured: this.unmeasured,
      sampling: this.sampler === null ? null : { ...this.sampler.summary },
      drift: this.drift === null ? null : { ...this.drift },
      scaling: this.advice,
    };
  }

  /** Writes the samples taken and the counts so far. */
  flush(): void {
    this.monitor?.tick();
    this.updateAdvice();
    this.sampler?.flush(this.writes);
    const summary = this.summary();
    this.writes.push(
      () => this.run.update(summary),
      (error) => this.options.onError(`cannot record the proxy run: ${messageOf(error)}`),
    );
  }

  /** Ends the session: the open drift window is compared, and the last samples and the final counts are written. */
  async close(status: RunStatus = 'completed'): Promise<void> {
    clearInterval(this.timer);
    await this.monitor?.close();
    await this.comparer?.close();
    this.updateAdvice();
    this.sampler?.flush(this.writes);
    await this.writes.drained();
    try {
      await this.run.finish(status, this.summary());
    } catch (error) {
      this.options.onError(`cannot record the end of the proxy run: ${messageOf(error)}`);
    }
  }
}

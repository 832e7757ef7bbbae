import { Counter, Gauge, type Registry } from 'prom-client';
import type { DriftWindow } from '../monitor/drift-window.js';
import type { ScalingAdvice } from '../monitor/scaling-advice.js';

/**
 * The live monitor's results as Prometheus metrics (docs/operations.md lists each): each column's drift in the last
 * closed window, the window's data-quality findings, and the replicas the live load needs. Registered in the
 * registry of the proxy's own metrics, so one scrape has everything.
 */
export class MonitorMetrics {
  private readonly statistic: Gauge<'column' | 'test'>;
  private readonly pValue: Gauge<'column' | 'test'>;
  private readonly detected: Gauge<'column'>;
  private readonly datasetDetected: Gauge;
  private readonly driftedShare: Gauge;
  private readonly windowRows: Gauge;
  private readonly windowEnd: Gauge;
  private readonly windows: Counter<'result'>;
  private readonly findings: Gauge<'check' | 'severity'>;
  private readonly rate: Gauge<'span'>;
  private readonly replicasNeeded: Gauge<'load'>;
  private readonly replicaCapacity: Gauge;
  private readonly utilization: Gauge;
  private readonly declared: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.statistic = new Gauge({
      name: 'yardstick_drift_statistic',
      help: "A column's drift statistic in the last closed window against the reference (the test label says which: ks, chi2, z, psi, js, wasserstein…).",
      labelNames: ['column', 'test'],
      registers,
    });
    this.pValue = new Gauge({
      name: 'yardstick_drift_p_value',
      help: "A column's drift p-value in the last closed window (tests that give one: ks, chi2, z), after the dataset method's adjustment.",
      labelNames: ['column', 'test'],
      registers,
    });
    this.detected = new Gauge({
      name: 'yardstick_drift_detected',
      help: "1 when a column drifted in the last closed window (the column's verdict rule), 0 otherwise.",
      labelNames: ['column'],
      registers,
    });
    this.datasetDetected = new Gauge({
      name: 'yardstick_drift_dataset_detected',
      help: '1 when the last closed window drifted as a whole (the dataset method: share of drifted columns, or any after Bonferroni/BH).',
      registers,
    });
    this.driftedShare = new Gauge({
      name: 'yardstick_drift_drifted_columns_ratio',
      help: 'The share of tested columns that drifted in the last closed window.',
      registers,
    });
    this.windowRows = new Gauge({
      name: 'yardstick_drift_window_rows',
      help: 'Sampled rows the last closed window compared with the reference.',
      registers,
    });
    this.windowEnd = new Gauge({
      name: 'yardstick_drift_window_end_timestamp_seconds',
      help: 'When the last closed window ended (Unix time).',
      registers,
    });
    this.windows = new Counter({
      name: 'yardstick_drift_windows_total',
      help: "Closed windows, by result: 'drifted', 'stable', or 'untested' (fewer rows than the minimum).",
      labelNames: ['result'],
      registers,
    });
    this.findings = new Gauge({
      name: 'yardstick_data_quality_findings',
      help: 'Data-quality findings of the last closed window by check (missing, new-categories, out-of-range, text-length) and severity.',
      labelNames: ['check', 'severity'],
      registers,
    });
    this.rate = new Gauge({
      name: 'yardstick_load_requests_per_second',
      help: "Measured requests ending per second: span='1m' the last minute's mean, span='1h_peak' the highest one-minute mean of the last hour.",
      labelNames: ['span'],
      registers,
    });
    this.replicasNeeded = new Gauge({
      name: 'yardstick_replicas_needed',
      help: "Replicas the load needs under the SLOs with headroom (from the capacity plan): load='current' or 'peak' (the last hour's).",
      labelNames: ['load'],
      registers,
    });
    this.replicaCapacity = new Gauge({
      name: 'yardstick_replica_capacity_requests_per_second',
      help: 'The rate one replica sustains under the SLOs, from the capacity plan.',
      registers,
    });
    this.utilization = new Gauge({
      name: 'yardstick_capacity_utilization_ratio',
      help: 'The current rate over what the declared replicas sustain (--replicas); above 1 the SLOs are at risk.',
      registers,
    });
    this.declared = new Gauge({
      name: 'yardstick_replicas_declared',
      help: 'Replicas serving now, as declared with --replicas (the YardstickReplicasShort alert compares the needed ones with it).',
      registers,
    });
  }

  /** Sets the gauges to the window that just closed. */
  window(window: DriftWindow): void {
    this.windows.inc({ result: !window.tested ? 'untested' : window.drifted ? 'drifted' : 'stable' });
    this.windowRows.set(window.rows);
    this.windowEnd.set(Date.parse(window.end) / 1000);
    if (!window.tested) return;
    this.statistic.reset();
    this.pValue.reset();
    this.detected.reset();
    this.findings.reset();
    for (const column of window.columns) {
      if (column.statistic !== null) this.statistic.set({ column: column.name, test: column.test }, column.statistic);
      if (column.pValue !== null) this.pValue.set({ column: column.name, test: column.test }, column.pValue);
      this.detected.set({ column: column.name }, column.drifted ? 1 : 0);
    }
    this.datasetDetected.set(window.drifted ? 1 : 0);
    this.driftedShare.set(window.driftedShare);
    for (const finding of window.findings) this.findings.inc({ check: finding.check, severity: finding.severity });
  }

  /** Sets the load and replica gauges. */
  scaling(advice: ScalingAdvice): void {
    this.rate.set({ span: '1m' }, advice.currentPerS);
    this.rate.set({ span: '1h_peak' }, advice.peakPerS);
    this.replicasNeeded.set({ load: 'current' }, advice.neededNow);
    this.replicasNeeded.set({ load: 'peak' }, advice.neededAtPeak);
    this.replicaCapacity.set(advice.perReplicaPerS);
    if (advice.utilization !== null) this.utilization.set(advice.utilization);
    if (advice.replicas !== null) this.declared.set(advice.replicas);
  }
}

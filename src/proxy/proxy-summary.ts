import type { ScalingAdvice } from '../monitor/scaling-advice.js';
import type { RunRecordOf, StoredRun } from '../store/run-record.js';
import { runOfKind, summaryGuard } from '../store/stored-summary.js';

/** What a proxy run kept of its samples. */
export interface SamplingSummary {
  /** The share of measured requests sampled (0.01 for `--sample 1%`). */
  share: number;
  kept: number;
  /** Sampled but not kept: the on-disk budget was spent. */
  overBudget: number;
  /** Sampled but lost: the store refused the write (the traffic was not affected). */
  failed: number;
  /** Bytes of the samples kept (their JSON). */
  bytes: number;
  budgetBytes: number;
}

/** How a proxy session compares its sampled traffic with a reference, window by window (the windows are its cases). */
export interface DriftMonitorSummary {
  reference: string;
  referenceRows: number;
  /** `every 3600 s`, `every 500 rows`. */
  window: string;
  minRows: number;
  windows: number;
  /** Windows with fewer rows than the minimum, recorded but not tested. */
  untested: number;
  drifted: number;
  /** The last closed window: when it ended, whether it drifted, and which columns did. */
  last: { index: number; end: string; drifted: boolean; driftedColumns: string[]; findings: number } | null;
}

/** A proxy session (`yardstick proxy`) as a stored run: what passed through and what was kept. */
export interface ProxyJson {
  schemaVersion: 1;
  kind: 'proxy';
  runId: string;
  upstream: string;
  listen: string;
  slos: string[];
  /** Measured requests by outcome (`ok` or the error's category). */
  requests: Record<string, number>;
  /** Requests passed through without measuring (not chat or completions calls). */
  unmeasured: number;
  sampling: SamplingSummary | null;
  /** Absent from runs recorded before drift monitoring existed. */
  drift?: DriftMonitorSummary | null;
  /** Replicas the live load needs, from a capacity plan; absent or null without one. */
  scaling?: ScalingAdvice | null;
}

export type ProxyRunRecord = RunRecordOf<'proxy', ProxyJson>;

export const isProxyJson = summaryGuard<ProxyJson>('proxy');

/** The stored run as a proxy run; null when it is another kind. */
export function proxyRunOf(stored: StoredRun): ProxyRunRecord | null {
  return runOfKind(stored, 'proxy', isProxyJson);
}

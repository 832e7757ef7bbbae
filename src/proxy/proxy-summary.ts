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
}

export type ProxyRunRecord = RunRecordOf<'proxy', ProxyJson>;

export const isProxyJson = summaryGuard<ProxyJson>('proxy');

/** The stored run as a proxy run; null when it is another kind. */
export function proxyRunOf(stored: StoredRun): ProxyRunRecord | null {
  return runOfKind(stored, 'proxy', isProxyJson);
}

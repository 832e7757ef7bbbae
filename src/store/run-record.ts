import type { Environment } from '../core/environment.js';
import type { ResourceSample } from '../core/types.js';
import type { TargetDescription } from '../core/types.js';

/** `partial`: a scale-out run that lost a worker mid-run (its share from then on is missing). */
export type RunStatus = 'running' | 'completed' | 'interrupted' | 'failed' | 'partial';

export const RUN_STATUSES: readonly RunStatus[] = ['running', 'completed', 'interrupted', 'failed', 'partial'];

/**
 * The single artifact of a run, versioned; reports and comparisons read only this. `Kind` names the run kind and
 * `Summary` its summary type (the command's `--json` document), known to the layer that runs that kind.
 */
export interface RunRecordOf<Kind extends string, Summary> {
  schemaVersion: 1;
  id: string;
  kind: Kind;
  status: RunStatus;
  createdAt: string;
  endedAt: string | null;
  /** The validated config with secrets removed. */
  config: unknown;
  environment: Environment;
  target: TargetDescription;
  /** Null until the run has a summary (it is running, or failed before it had one). */
  summary: Summary | null;
  resources: ResourceSample[];
}

/** A run as the store keeps it: any kind, its summary not yet read as that kind's type. */
export type StoredRun = RunRecordOf<string, unknown>;

/** One line of `runs list`. */
export interface RunListing {
  id: string;
  kind: string;
  status: RunStatus;
  createdAt: string;
  targetName: string;
}

/** One scored case of an eval run (one repeat of it); the result's shape belongs to the eval module. */
export interface CaseRow {
  caseId: string;
  repeat: number;
  result: unknown;
}

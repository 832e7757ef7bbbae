import type { Environment } from '../core/environment.js';
import type { ResourceSample } from '../core/types.js';
import type { TargetDescription } from '../core/types.js';

export type RunStatus = 'running' | 'completed' | 'interrupted' | 'failed';

/** The single artifact of a run, versioned; reports and comparisons read only this. */
export interface RunRecord {
  schemaVersion: 1;
  id: string;
  kind: string;
  status: RunStatus;
  createdAt: string;
  endedAt: string | null;
  /** The validated config with secrets removed. */
  config: unknown;
  environment: Environment;
  target: TargetDescription;
  /** The command's JSON summary (for bench: the `--json` output). */
  summary: unknown;
  resources: ResourceSample[];
}

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

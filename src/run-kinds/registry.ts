import type { ReportedRun } from '../report/html/reported-run.js';
import type { StoredRun } from '../store/run-record.js';
import type { Store } from '../store/store.js';
import { baselineKind } from './baseline.js';
import { benchKind } from './bench.js';
import { benchRepeatsKind } from './bench-repeats.js';
import { dataCheckKind } from './data-check.js';
import { driftKind } from './drift.js';
import { evalKind } from './eval.js';
import { jobProfileKind } from './job-profile.js';
import { metricsKind } from './metrics.js';
import { profileKind } from './profile.js';
import { proxyKind } from './proxy.js';
import { scaleKind } from './scale.js';
import { tuneKind } from './tune.js';
import { ratingKind } from './rating.js';
import { noteOnlyReport, notDetailedNote, type RunKind } from './run-kind.js';

/** Every run kind yardstick records; a new kind is one module in this folder and one line here. */
export const RUN_KINDS: readonly RunKind[] = [
  benchKind,
  benchRepeatsKind,
  evalKind,
  metricsKind,
  driftKind,
  dataCheckKind,
  baselineKind,
  profileKind,
  proxyKind,
  jobProfileKind,
  scaleKind,
  tuneKind,
  ratingKind,
];

/** The kind of a stored run; null for a kind this yardstick does not know (a newer one wrote it). */
export function runKindOf(kind: string): RunKind | null {
  return RUN_KINDS.find((k) => k.kind === kind) ?? null;
}

/** One line about a run when there is no summary to print. */
export function runLine(run: StoredRun): string {
  return `run ${run.id}: ${run.kind}, ${run.status}, started ${run.createdAt}${run.summary === null ? ', no summary (it did not finish)' : ''}`;
}

/** `runs show`: the kind's console text, or one line when it has none. */
export function showRun(run: StoredRun): string {
  return runKindOf(run.kind)?.console(run) ?? runLine(run);
}

/** A stored run prepared for the HTML report by its kind (a profile brings its child runs). */
export function reportedRun(run: StoredRun, store: Store): Promise<ReportedRun> {
  const kind = runKindOf(run.kind);
  if (kind === null) return Promise.resolve(noteOnlyReport(run, notDetailedNote(run)));
  return kind.report(run, { store, reportChild: (child) => reportedRun(child, store) });
}

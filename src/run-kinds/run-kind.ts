import { escapeHtml } from '../report/html/escape.js';
import type { ReportedRun, ThresholdVerdict } from '../report/html/reported-run.js';
import type { RunRecordOf, StoredRun } from '../store/run-record.js';
import type { Store } from '../store/store.js';

export interface ReportContext {
  store: Store;
  /** Prepares a run this one groups, with its own kind. */
  reportChild: (run: StoredRun) => Promise<ReportedRun>;
}

/** What yardstick does with stored runs of one kind: read, print, export and report them. */
export interface RunKind {
  readonly kind: string;
  /** What a run of this kind is, in a few words. */
  readonly description: string;
  /** The console text of `runs show`; null when the run has no summary this kind can read. */
  console(run: StoredRun): string | null;
  /** `runs export --format csv`; null when this kind has no CSV form (or the run no summary). */
  csv(run: StoredRun): string | null;
  /** `runs export --cases`: the run's cases as JSON or CSV; null when this kind has no cases. */
  cases(run: StoredRun, store: Store, format: 'json' | 'csv'): Promise<string | null>;
  /** The run prepared for the HTML report. */
  report(run: StoredRun, context: ReportContext): Promise<ReportedRun>;
  /** Its headline numbers in one short line (the viewer's runs list); null when the kind has none or no summary. */
  headline(run: StoredRun): string | null;
}

/** A run of this kind with a summary to show. */
export type SummarizedRun<K extends string, S> = RunRecordOf<K, S> & { summary: S };

/** How one kind reads, prints and reports its runs; `defineRunKind` turns it into a registry entry. */
export interface RunKindSpec<K extends string, S> {
  kind: K;
  description: string;
  read(stored: StoredRun): RunRecordOf<K, S> | null;
  /** The console text; null to fall back to the one-line description of the run. */
  console(run: SummarizedRun<K, S>): string | null;
  csv?(summary: S): string;
  cases?(run: RunRecordOf<K, S>, store: Store, format: 'json' | 'csv'): Promise<string>;
  thresholds?(summary: S): readonly ThresholdVerdict[];
  /** Its headline numbers in one short line. */
  headline?(summary: S): string;
  /** The run's part of the report; without it the report notes that `runs show` prints the run. */
  report?(run: SummarizedRun<K, S>, context: ReportContext): Promise<Partial<ReportedRun>>;
}

function summarized<K extends string, S>(run: RunRecordOf<K, S> | null): SummarizedRun<K, S> | null {
  if (run === null) return null;
  const summary = run.summary;
  return summary === null ? null : { ...run, summary };
}

/** The report of a run with nothing more to show than its record. */
export function noteOnlyReport(record: StoredRun, note: string): ReportedRun {
  return {
    record,
    thresholds: [],
    isGroup: false,
    section: `<h3>${escapeHtml(record.id)}</h3><p class="note">${escapeHtml(note)}</p>`,
    groupSections: [],
    recommendations: [],
    children: [],
    title: record.id,
  };
}

/** The note for a run the HTML report does not detail. */
export function notDetailedNote(record: StoredRun): string {
  return record.summary === null
    ? `This run has no summary: it is ${record.status}.`
    : `A ${record.kind} run: \`yardstick runs show ${record.id}\` prints it; the HTML report details eval, bench, metrics, proxy and profile runs.`;
}

/** A registry entry from a kind's spec: every method reads the stored run as this kind first. */
export function defineRunKind<K extends string, S>(spec: RunKindSpec<K, S>): RunKind {
  return {
    kind: spec.kind,
    description: spec.description,
    console: (stored) => {
      const run = summarized(spec.read(stored));
      return run === null ? null : spec.console(run);
    },
    csv: (stored) => {
      const run = summarized(spec.read(stored));
      return run === null || spec.csv === undefined ? null : spec.csv(run.summary);
    },
    cases: async (stored, store, format) => {
      const run = spec.read(stored);
      return run === null || spec.cases === undefined ? null : await spec.cases(run, store, format);
    },
    headline: (stored) => {
      const run = summarized(spec.read(stored));
      return run === null || spec.headline === undefined ? null : spec.headline(run.summary);
    },
    report: async (stored, context) => {
      const run = summarized(spec.read(stored));
      if (run === null || spec.report === undefined) return noteOnlyReport(stored, notDetailedNote(stored));
      const parts = await spec.report(run, context);
      return {
        record: stored,
        thresholds: spec.thresholds?.(run.summary) ?? [],
        isGroup: false,
        section: null,
        groupSections: [],
        recommendations: [],
        children: [],
        title: stored.id,
        ...parts,
      };
    },
  };
}

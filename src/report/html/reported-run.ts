import type { StoredRun } from '../../store/run-record.js';

export interface ThresholdVerdict {
  expr: string;
  pass: boolean;
}

/** A run as the HTML report shows it, prepared by its run kind. */
export interface ReportedRun {
  record: StoredRun;
  /** The thresholds the run evaluated; none for kinds without thresholds. */
  thresholds: readonly ThresholdVerdict[];
  /** A run that groups others (a profile): it has no section of its own and is left out of the verdict's count. */
  isGroup: boolean;
  /** The run's section under "runs"; a group's is null. */
  section: string | null;
  /** A group's own sections (description, models, tradeoffs, failures), placed after the summary. */
  groupSections: string[];
  /** Recommendations, as list items of HTML, for the summary. */
  recommendations: string[];
  /** The runs this one groups, each reported as itself. */
  children: ReportedRun[];
  /** The page title's name when this run is reported alone. */
  title: string;
}

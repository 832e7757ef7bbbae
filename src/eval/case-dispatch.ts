/** One case and repeat of a run, as work handed to a worker. */
export interface WorkItem {
  caseId: string;
  repeat: number;
}

/** What became of work handed out: batches that failed for good, each with how many items and why. */
export interface DispatchOutcome {
  failed: { items: number; reason: string }[];
}

/**
 * Runs a run's work elsewhere — worker processes on this machine or others — each result saved to the store the run
 * is in (shared by every worker); resolves once every item is stored or has failed for good, or the signal aborted.
 */
export interface CaseDispatcher {
  dispatch(options: {
    runId: string;
    items: readonly WorkItem[];
    signal: AbortSignal;
    /** Items finished so far (stored by a worker), told as batches finish. */
    onDone: (items: number) => void;
  }): Promise<DispatchOutcome>;
}

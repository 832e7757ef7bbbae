import { usageError } from '../core/errors.js';
import type { WorkItem } from '../eval/case-dispatch.js';
import type { EvalCase } from '../eval/cases.js';
import type { CaseExecutor } from '../eval/execute-case.js';
import { caseExecutor, executeWork } from '../eval/run-cases.js';
import { targetOf, type EvalRunSettings } from '../eval/runner.js';
import { selectCases } from '../eval/sampling.js';
import { evalRunOf, isEvalRunSettings } from '../eval/stored-eval.js';
import type { Store } from '../store/store.js';
import { createTarget } from '../targets/registry.js';
import type { Target } from '../targets/target.js';
import { suiteOfSettings } from './eval-plans.js';

/** What a worker did with a batch: cases it sent and scored, and cases already stored (by a worker before it). */
export interface WorkDone {
  executed: number;
  alreadyStored: number;
}

/** A run as a worker builds it once and reuses for each of its batches. */
interface PreparedRun {
  settings: EvalRunSettings;
  cases: Map<string, EvalCase>;
  target: Target;
  executor: CaseExecutor;
  scorers: { close?: () => Promise<void> }[];
  batchesInHand: number;
  idleSinceMs: number;
}

/** A run with no batch in hand for this long has its target and scorers closed (built again if more comes). */
const IDLE_CLOSE_MS = 60_000;

/**
 * Sends and scores batches of stored eval runs' cases, as each run would in one process: the suite is built from the
 * settings the run stored (its files must be where they were), once per run and worker, with its target and
 * scorers, and each result saved to the shared store.
 */
export class EvalWork {
  private readonly runs = new Map<string, Promise<PreparedRun>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly store: Store) {
    this.sweeper = setInterval(() => void this.closeIdle(IDLE_CLOSE_MS), IDLE_CLOSE_MS / 2);
    this.sweeper.unref();
  }

  /**
   * Runs one batch. A batch tried before (taken over from a worker that died, or retried) first drops the cases and
   * repeats already stored, which are neither sent nor scored again; a first attempt has none stored, since batches
   * never overlap.
   */
  async run(
    runId: string,
    items: readonly WorkItem[],
    signals: { stopStarting: AbortSignal; cancel: AbortSignal },
    options: { triedBefore: boolean },
  ): Promise<WorkDone> {
    const run = await this.prepared(runId);
    run.batchesInHand += 1;
    try {
      const done = options.triedBefore
        ? new Set((await this.store.listCases(runId)).map((row) => `${row.repeat}\u0000${row.caseId}`))
        : new Set<string>();
      const work: { evalCase: EvalCase; repeat: number }[] = [];
      for (const item of items) {
        if (done.has(`${item.repeat}\u0000${item.caseId}`)) continue;
        const evalCase = run.cases.get(item.caseId);
        if (evalCase === undefined)
          throw usageError(
            'CASE_UNKNOWN',
            `run ${runId} has no case '${item.caseId}' in the suite this worker built from its settings`,
            "run the worker where the suite's files are the same as the coordinator's",
          );
        work.push({ evalCase, repeat: item.repeat });
      }
      let finished = 0;
      await executeWork({
        executor: run.executor,
        work,
        store: this.store,
        runId,
        concurrency: run.settings.concurrency,
        ratePerS: run.settings.ratePerS,
        signal: signals.cancel,
        stopStarting: signals.stopStarting,
        flushIntervalMs: 100,
        onResult: () => (finished += 1),
      });
      // A worker told to stop finishes and stores the cases in flight, and leaves the rest of its batch: the job
      // fails, and another worker takes it over.
      if (finished < work.length)
        throw new Error('the worker stopped before finishing the batch; another worker takes it over');
      return { executed: work.length, alreadyStored: items.length - work.length };
    } finally {
      run.batchesInHand -= 1;
      run.idleSinceMs = Date.now();
    }
  }

  /** The run's suite, cases, target and executor, built on its first batch; a failed build is tried again next time. */
  private prepared(runId: string): Promise<PreparedRun> {
    const known = this.runs.get(runId);
    if (known !== undefined) return known;
    const building = prepareRun(this.store, runId);
    this.runs.set(runId, building);
    building.catch(() => this.runs.delete(runId));
    return building;
  }

  /** Closes the runs idle for `idleMs` or more (all of them at 0). */
  private async closeIdle(idleMs: number): Promise<void> {
    const now = Date.now();
    for (const [runId, building] of [...this.runs]) {
      const run = await building.catch(() => null);
      if (run === null || run.batchesInHand > 0 || now - run.idleSinceMs < idleMs) continue;
      this.runs.delete(runId);
      // A run that fails to close is let go all the same: the worker goes on with the others.
      await closeRun(run).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.closeIdle(0);
  }
}

async function prepareRun(store: Store, runId: string): Promise<PreparedRun> {
  const stored = await store.getRun(runId);
  const run = stored === null ? null : evalRunOf(stored);
  const settings = run?.config;
  if (run === null || !isEvalRunSettings(settings))
    throw usageError(
      'RUN_NOT_FOUND',
      `no eval run ${runId} with its settings in the store this worker uses`,
      'start the worker with the --store the eval uses (a PostgreSQL URL every machine reaches)',
    );
  const { suite } = await suiteOfSettings(settings);
  const selected = selectCases(suite.cases, settings.sampling);
  const cases = new Map<string, EvalCase>((suite.expandCases?.(selected) ?? selected).map((c) => [c.id, c]));
  const targetConfig = targetOf(suite, settings.targetIndex);
  const target = await createTarget(targetConfig, { maxConnections: settings.concurrency });
  const scorers: { close?: () => Promise<void> }[] = [];
  try {
    for (const scorer of suite.scorers) {
      await scorer.prepare?.();
      scorers.push(scorer);
    }
    const executor = await caseExecutor({ suite, target, targetConfig, cache: settings.cache, store });
    return { settings, cases, target, executor, scorers, batchesInHand: 0, idleSinceMs: Date.now() };
  } catch (error) {
    await closeRun({ scorers, target });
    throw error;
  }
}

async function closeRun(run: { scorers: { close?: () => Promise<void> }[]; target: Target }): Promise<void> {
  for (const scorer of run.scorers) await scorer.close?.();
  await run.target.close();
}

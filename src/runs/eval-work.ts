import { usageError } from '../core/errors.js';
import type { WorkItem } from '../eval/case-dispatch.js';
import type { EvalCase } from '../eval/cases.js';
import { caseExecutor, executeWork } from '../eval/run-cases.js';
import { targetOf } from '../eval/runner.js';
import { selectCases } from '../eval/sampling.js';
import { evalRunOf, isEvalRunSettings } from '../eval/stored-eval.js';
import type { Store } from '../store/store.js';
import { createTarget } from '../targets/registry.js';
import { suiteOfSettings } from './eval-plans.js';

/** What a worker did with a batch: cases it sent and scored, and cases already stored (by a worker before it). */
export interface WorkDone {
  executed: number;
  alreadyStored: number;
}

/**
 * Sends and scores a batch of a stored eval run's cases, as the run would in one process: the suite is built again
 * from the settings the run stored (its files must be where they were), the target made from them, and each result
 * saved to the shared store. A case and repeat already stored (a batch taken over from a worker that died) is
 * neither sent nor scored again.
 */
export async function runEvalWork(
  store: Store,
  runId: string,
  items: readonly WorkItem[],
  signal: AbortSignal,
): Promise<WorkDone> {
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
  const done = new Set((await store.listCases(runId)).map((row) => `${row.repeat}\u0000${row.caseId}`));
  const work: { evalCase: EvalCase; repeat: number }[] = [];
  for (const item of items) {
    if (done.has(`${item.repeat}\u0000${item.caseId}`)) continue;
    const evalCase = cases.get(item.caseId);
    if (evalCase === undefined)
      throw usageError(
        'CASE_UNKNOWN',
        `run ${runId} has no case '${item.caseId}' in the suite this worker built from its settings`,
        "run the worker where the suite's files are the same as the coordinator's",
      );
    work.push({ evalCase, repeat: item.repeat });
  }
  const targetConfig = targetOf(suite, settings.targetIndex);
  const target = await createTarget(targetConfig, { maxConnections: settings.concurrency });
  const prepared: { close?: () => Promise<void> }[] = [];
  try {
    for (const scorer of suite.scorers) {
      await scorer.prepare?.();
      prepared.push(scorer);
    }
    const executor = await caseExecutor({ suite, target, targetConfig, cache: settings.cache, store });
    await executeWork({
      executor,
      work,
      store,
      runId,
      concurrency: settings.concurrency,
      ratePerS: settings.ratePerS,
      signal,
      flushIntervalMs: 100,
    });
    // A worker told to stop leaves the rest of its batch: the job fails, and another worker takes it over.
    if (signal.aborted) throw new Error('the worker stopped before finishing the batch; another worker takes it over');
    return { executed: work.length, alreadyStored: items.length - work.length };
  } finally {
    for (const scorer of prepared) await scorer.close?.();
    await target.close();
  }
}

import type { Store } from '../store/store.js';
import { WriteQueue } from '../store/write-queue.js';
import type { TargetConfig } from '../targets/target-schema.js';
import type { Target } from '../targets/target.js';
import { loadClientTokenizer } from '../tokens/client-tokenizer.js';
import type { CaseResult } from './case-result.js';
import type { EvalCase } from './cases.js';
import { executeCase, type CaseExecutor } from './execute-case.js';
import { ResponseCache } from './response-cache.js';
import { pause } from './retry.js';
import type { Scorer } from './scorers/scorer.js';
import type { RequestBuilder } from './prompt-builder.js';
import type { RetryPolicy } from './retry.js';

const FLUSH_EVERY_CASES = 256;

/** The suite's scorer whose labels feed the classification metrics (the first that reads labels); null if none. */
export function labelScorerOf(scorers: readonly Scorer[]): Scorer | null {
  return scorers.find((s) => s.labels !== undefined) ?? null;
}

/** The executor of a suite's cases against a target: its prompts, scorers, retries, and the store's response cache. */
export async function caseExecutor(options: {
  suite: { builder: RequestBuilder; scorers: Scorer[]; retry: RetryPolicy };
  target: Target;
  /** The target's config; null for a caller's own target (its answers are not cached). */
  targetConfig: TargetConfig | null;
  cache: boolean;
  store: Store;
}): Promise<CaseExecutor> {
  const { suite, target, targetConfig } = options;
  return {
    target,
    builder: suite.builder,
    scorers: suite.scorers,
    labelScorer: labelScorerOf(suite.scorers),
    retry: suite.retry,
    cache: options.cache && targetConfig !== null ? new ResponseCache(options.store, targetConfig) : null,
    pricing: targetConfig?.pricing,
    tokenizer: targetConfig?.pricing === undefined ? null : await loadClientTokenizer(),
  };
}

/**
 * Sends and scores the work, `concurrency` at a time and at most `ratePerS` started per second, writing the results
 * to the store in batches (one write after another) while the requests go on; resolves once every result is
 * written, and rejects with the first write that failed.
 */
export async function executeWork(options: {
  executor: CaseExecutor;
  work: readonly { evalCase: EvalCase; repeat: number }[];
  store: Store;
  runId: string;
  concurrency: number;
  ratePerS: number | null;
  /** Cancels the requests in flight (their cases are not stored) and starts no more. */
  signal: AbortSignal;
  /** Starts no more cases, letting those in flight finish and be stored. */
  stopStarting?: AbortSignal;
  flushIntervalMs?: number;
  onResult?: (result: CaseResult) => void;
}): Promise<void> {
  const { executor, work, store, runId, signal } = options;
  const stopped = (): boolean => signal.aborted || options.stopStarting?.aborted === true;
  const buffer: CaseResult[] = [];
  const writes = new WriteQueue();
  const failedWrite: { error: Error | null } = { error: null };
  const flush = (): void => {
    if (buffer.length === 0) return;
    const rows = buffer.splice(0).map((r) => ({ caseId: r.caseId, repeat: r.repeat, result: r }));
    writes.push(
      () => store.saveCases(runId, rows),
      (error) => {
        failedWrite.error ??= error instanceof Error ? error : new Error(String(error));
      },
    );
  };
  const flushTimer = setInterval(flush, options.flushIntervalMs ?? 250);
  let next = 0;
  let nextStartMs = performance.now();
  const intervalMs = options.ratePerS === null ? 0 : 1000 / options.ratePerS;
  const worker = async (): Promise<void> => {
    while (!stopped() && next < work.length) {
      const item = work[next];
      next += 1;
      if (item === undefined) break;
      if (intervalMs > 0) {
        const due = nextStartMs;
        nextStartMs = Math.max(nextStartMs + intervalMs, performance.now());
        await pause(due - performance.now(), options.stopStarting ?? signal);
        if (stopped()) break;
      }
      const result = await executeCase(executor, item.evalCase, item.repeat, signal);
      if (result === null) continue;
      buffer.push(result);
      if (buffer.length >= FLUSH_EVERY_CASES) flush();
      options.onResult?.(result);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, Math.max(1, work.length)) }, worker));
  } finally {
    clearInterval(flushTimer);
    flush();
    await writes.drained();
  }
  if (failedWrite.error !== null) throw failedWrite.error;
}

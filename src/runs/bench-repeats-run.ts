import { setTimeout as wait } from 'node:timers/promises';
import { summarizeRepeats, type BenchRepeatsJson } from '../efficiency/bench-repeats.js';
import type { BenchJson } from '../efficiency/bench-json.js';
import { redactSecrets } from '../config/redact.js';
import { newRunId } from '../store/run-id.js';
import { saveFinishedRun } from '../store/run-lifecycle.js';
import { runBench, type BenchRunOptions } from './bench-run.js';

export interface BenchRepeatsOptions extends BenchRunOptions {
  repeats: number;
  /** Pause between two repeats (cool-down), in milliseconds. */
  pauseMs: number;
  /** Told of each repeat as it starts (1-based). */
  onRepeat?: (index: number, of: number) => void;
}

/**
 * Runs the same bench `repeats` times, pausing between runs so the server settles, stores each run as a bench run and
 * a bench-repeats run over them: every headline statistic per run, with its mean, spread and t interval across runs.
 * An interruption stops after the run it interrupted, which is kept with the others.
 */
export async function runBenchRepeats(options: BenchRepeatsOptions): Promise<BenchRepeatsJson> {
  const createdAt = new Date().toISOString();
  const runs: BenchJson[] = [];
  for (let i = 0; i < options.repeats && !options.signal.aborted; i += 1) {
    if (i > 0 && options.pauseMs > 0)
      await wait(options.pauseMs, undefined, { signal: options.signal }).catch(() => undefined);
    if (options.signal.aborted) break;
    options.onRepeat?.(i + 1, options.repeats);
    runs.push((await runBench(options)).summary);
  }
  const summary = summarizeRepeats(newRunId(), runs, { pauseS: options.pauseMs / 1000, confidence: 0.95 });
  await saveFinishedRun(options.store, {
    id: summary.runId,
    kind: 'bench-repeats',
    createdAt,
    status: options.signal.aborted ? 'interrupted' : 'completed',
    config: { repeats: options.repeats, pauseMs: options.pauseMs, bench: redactSecrets(options.loaded.config) },
    target: summary.target,
    summary,
  });
  return summary;
}

import { deepMerge } from '../config/yaml-source.js';
import { loadBenchConfig } from '../load/load-bench-config.js';
import type { BenchJson } from '../efficiency/bench-json.js';
import type { LiveProgress } from '../load/engine.js';
import { runBench as runLoadTest, type BenchObserver } from '../runs/bench-run.js';
import { SqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/store.js';
import type { Target } from '../targets/target.js';

export interface BenchOptions {
  /** The load test: a YAML file's path, or the config itself as an object (what the YAML holds). */
  config: string | Record<string, unknown>;
  /** Values laid over the config's, as `yardstick bench` flags are (e.g. `{ load: { ratePerS: 20 } }`). */
  overrides?: Record<string, unknown>;
  /**
   * A target of your own instead of the config's (which then need not name one); the load is sent to it from this
   * thread, on one worker.
   */
  target?: Target;
  /** Where the run is kept; default an in-memory store that is closed when the run ends. */
  store?: Store;
  /** A local target process whose CPU and memory to sample alongside the load. */
  targetPid?: number;
  signal?: AbortSignal;
  /** Called with live snapshots of the load (twice a second): sent, in flight and the recorder so far. */
  onProgress?: (progress: LiveProgress) => void;
  /** Follow the run's lifecycle: its start, snapshots and end (e.g. a live export). */
  observers?: readonly BenchObserver[];
}

export interface BenchOutcome {
  runId: string;
  summary: BenchJson;
  /** True when every threshold passed (and true when there were none). */
  passed: boolean;
}

/**
 * Runs a load test against the target its config describes: the same run `yardstick bench` makes (on load threads,
 * with resources sampled and the server's metrics scraped when it has them), stored the same way. A bad config
 * throws a `YardstickError` (exit code 2) listing every problem; an unreachable target one with exit code 4.
 */
export async function runBench(options: BenchOptions): Promise<BenchOutcome> {
  const overrides = options.overrides ?? {};
  const loaded = loadBenchConfig(
    typeof options.config === 'string'
      ? { path: options.config, overrides, ownTarget: options.target !== undefined }
      : { path: null, overrides: deepMerge(options.config, overrides), ownTarget: options.target !== undefined },
  );
  const store = options.store ?? new SqliteStore(':memory:');
  try {
    const { summary } = await runLoadTest({
      loaded,
      store,
      signal: options.signal ?? new AbortController().signal,
      targetPid: options.targetPid ?? null,
      ...(options.target === undefined ? {} : { target: options.target }),
      observers: [
        ...(options.observers ?? []),
        ...(options.onProgress === undefined ? [] : [{ progress: options.onProgress }]),
      ],
    });
    return { runId: summary.runId, summary, passed: summary.thresholds.every((t) => t.pass) };
  } finally {
    if (options.store === undefined) await store.close();
  }
}

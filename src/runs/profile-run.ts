import { resolve } from 'node:path';
import { loadBenchConfig } from '../load/load-bench-config.js';
import type { LoadedRunConfig } from './load-run-config.js';
import { redactSecrets } from '../config/redact.js';
import { runTargetName, type RunEvalEntry, type RunLoadEntry } from './run-config-schema.js';
import { monotonicNs, NS_PER_S } from '../core/clock.js';
import { YardstickError, messageOf } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { EvalJson } from '../eval/eval-summary.js';
import { loadSuite } from '../eval/load-suite.js';
import { runEval, runnableSuite, type EvalProgress, type EvalRunSettings } from '../eval/runner.js';
import type { LiveProgress } from '../load/engine.js';
import type { BenchJson } from '../efficiency/bench-json.js';
import { registerBuiltinTarget } from '../serve/builtin-target.js';
import { ensureReferenceModels, referenceModelDetails } from '../serve/shared-servers.js';
import { RunLifecycle } from '../store/run-lifecycle.js';
import type { RunStatus, StoredRun } from '../store/run-record.js';
import type { Store } from '../store/store.js';
import { tradeoff, type TradeoffJson } from '../tradeoff/tradeoff.js';
import { runBench } from './bench-run.js';
import type { ProfileChild, ProfileJson, ProfileTradeoff } from './profile-json.js';
import { benchHeadline, evalHeadline, failedHeadline } from './profile-json.js';
import type { ProfileRunRecord } from './stored-runs.js';

export interface ProfileRunOptions {
  loaded: LoadedRunConfig;
  store: Store;
  signal: AbortSignal;
  /** One line per step started or finished, for a terminal. */
  onLine?: (line: string) => void;
  onEvalProgress?: (progress: EvalProgress) => void;
  onBenchProgress?: (progress: LiveProgress) => void;
}

export interface ProfileRunResult {
  summary: ProfileJson;
  record: ProfileRunRecord;
}

interface Selected {
  index: number;
  name: string;
  raw: unknown;
}

function selectTargets(loaded: LoadedRunConfig, names: readonly string[] | undefined): Selected[] {
  const rawTargets = Array.isArray(loaded.raw.targets) ? (loaded.raw.targets as unknown[]) : [];
  return loaded.config.targets
    .map((target, index) => ({ index, name: runTargetName(target, index), raw: rawTargets[index] }))
    .filter((t) => names === undefined || names.includes(t.name));
}

/** Where a child run's id goes as soon as the run is recorded, so a run that then fails can still be named. */
interface Started {
  runId: string | null;
}

async function runEvalEntry(
  options: ProfileRunOptions,
  entry: RunEvalEntry,
  target: Selected,
  started: Started,
): Promise<EvalJson> {
  const suite = await loadSuite({
    path: resolve(options.loaded.baseDir, entry.suite),
    overrides: { targets: [target.raw] },
  });
  const run = suite.config.run;
  const settings: EvalRunSettings = {
    suite: suite.raw,
    suitePath: suite.path,
    baseDir: suite.baseDir,
    targetIndex: 0,
    sampling: {
      limit: null,
      sample: entry.sample ?? null,
      seed: entry.seed ?? run.seed,
      stratify: entry.stratify ?? null,
    },
    repeats: entry.repeats ?? run.repeats,
    concurrency: entry.concurrency ?? run.concurrency,
    ratePerS: run.ratePerS ?? null,
    cache: entry.cache ?? run.cache,
  };
  const { summary } = await runEval({
    suite: runnableSuite(suite),
    settings,
    store: options.store,
    signal: options.signal,
    resume: null,
    observers: [
      {
        started: (record, info) => {
          started.runId = record.id;
          options.onLine?.(
            `eval ${suite.config.name} → ${target.name}: run ${record.id}, ${info.requests ?? 0} requests`,
          );
        },
        ...(options.onEvalProgress === undefined ? {} : { progress: options.onEvalProgress }),
      },
    ],
  });
  return summary;
}

async function runLoadEntry(
  options: ProfileRunOptions,
  entry: RunLoadEntry,
  index: number,
  target: Selected,
  started: Started,
): Promise<BenchJson> {
  const rawLoad =
    (Array.isArray(options.loaded.raw.load) ? (options.loaded.raw.load as Record<string, unknown>[]) : [])[index] ?? {};
  const overrides = {
    target: target.raw,
    load: rawLoad.load,
    input: rawLoad.input,
    slo: rawLoad.slo ?? [],
    thresholds: rawLoad.thresholds ?? [],
  };
  let loaded;
  try {
    loaded = loadBenchConfig({
      path: null,
      overrides: JSON.parse(JSON.stringify(overrides)) as Record<string, unknown>,
    });
  } catch (error) {
    // The schema already passed; what remains are expressions, reported at the load entry's line.
    if (error instanceof YardstickError) {
      for (const problem of error.problems)
        if (problem.where === 'command line') problem.where = options.loaded.where(['load', index]);
    }
    throw error;
  }
  const name = entry.name ?? entry.load.profile;
  const { summary } = await runBench({
    loaded,
    store: options.store,
    signal: options.signal,
    targetPid: null,
    observers: [
      {
        started: (record) => {
          started.runId = record.id;
          options.onLine?.(`load ${name} → ${target.name}: run ${record.id}`);
        },
        ...(options.onBenchProgress === undefined ? {} : { progress: options.onBenchProgress }),
      },
    ],
  });
  return summary;
}

async function tradeoffOf(
  options: ProfileRunOptions,
  suite: string,
  evals: readonly ProfileChild[],
): Promise<ProfileTradeoff> {
  const done = evals.filter((c) => c.status === 'completed');
  if (done.length < 2) return { suite, tradeoff: null, note: 'fewer than two targets completed this suite' };
  const settings = options.loaded.config.tradeoff;
  try {
    const records = (
      await Promise.all(done.map(async (c) => (c.runId === null ? null : options.store.getRun(c.runId))))
    ).filter((r): r is StoredRun => r !== null);
    const result: TradeoffJson = await tradeoff(records, options.store, settings.metric ?? null, {
      minAccuracy: settings.minAccuracy ?? null,
      maxP95Ms: settings.maxP95 ?? null,
      budgetPer1k: settings.budget ?? null,
      prefer: settings.prefer,
    });
    return { suite, tradeoff: result, note: null };
  } catch (error) {
    return { suite, tradeoff: null, note: messageOf(error) };
  }
}

/**
 * Runs one child of a profile. A failure of its target — unreachable, or failing every request — is the child's
 * result, so the profile goes on with the other targets; any other error (bad config, a bug) stops the profile.
 */
async function runChild<T>(
  run: (started: Started) => Promise<T>,
  onLine: ((text: string) => void) | undefined,
  label: string,
): Promise<{ summary: T } | { failure: { runId: string | null; error: string } }> {
  const started: Started = { runId: null };
  try {
    return { summary: await run(started) };
  } catch (error) {
    if (!(error instanceof YardstickError) || error.exitCode !== ExitCode.targetUnreachable) throw error;
    onLine?.(`${label}: failed — ${error.message}`);
    return { failure: { runId: started.runId, error: error.message } };
  }
}

/**
 * Runs what a run config declares: every eval suite against each of its targets, then every load profile against
 * each of its targets — one ordinary stored run per pair — and records a profile run that groups them with the
 * tradeoff of each suite's targets. An interrupted profile keeps the runs it finished.
 */
export async function runProfile(options: ProfileRunOptions): Promise<ProfileRunResult> {
  const { loaded, store, signal } = options;
  registerBuiltinTarget();
  const startedAt = monotonicNs();
  const run = await RunLifecycle.start<'profile', ProfileJson>(store, {
    kind: 'profile',
    config: redactSecrets(loaded.config),
    target: {
      kind: 'profile',
      name: loaded.config.name,
      url: `file://${resolve(loaded.path)}`,
      model: null,
      streaming: false,
    },
  });
  const summaryOf = async (status: RunStatus, error: string | null): Promise<ProfileJson> => ({
    schemaVersion: 1,
    runId: run.id,
    kind: 'profile',
    name: loaded.config.name,
    description: loaded.config.description ?? null,
    status,
    durationS: Number(monotonicNs() - startedAt) / NS_PER_S,
    models: error === null ? await referenceModelDetails() : [],
    runs: children,
    tradeoffs,
    thresholdsFailed: children.reduce((n, c) => n + c.headline.thresholdsFailed, 0),
    targetsFailed: children.filter((c) => c.error !== null).length,
    error,
  });
  const children: ProfileChild[] = [];
  const tradeoffs: ProfileTradeoff[] = [];
  options.onLine?.(`profile ${loaded.config.name}: run ${run.id}`);
  let status: RunStatus = 'completed';
  try {
    // Every reference model the profile uses is trained in one server thread, so its dataset is loaded once.
    const builtin = loaded.config.targets.flatMap((t) =>
      t.kind === 'builtin' ? [{ model: t.model, settings: t.hyperparameters }] : [],
    );
    if (builtin.length > 0) await ensureReferenceModels(builtin);
    for (const entry of loaded.config.evals) {
      const evals: ProfileChild[] = [];
      let suiteName = entry.suite;
      for (const target of selectTargets(loaded, entry.targets)) {
        if (signal.aborted) break;
        const outcome = await runChild(
          (started) => runEvalEntry(options, entry, target, started),
          options.onLine,
          `eval ${entry.suite} → ${target.name}`,
        );
        if ('summary' in outcome) suiteName = outcome.summary.suite;
        const child: ProfileChild =
          'summary' in outcome
            ? {
                runId: outcome.summary.runId,
                kind: 'eval',
                target: target.name,
                of: outcome.summary.suite,
                status: outcome.summary.status,
                headline: evalHeadline(outcome.summary),
                error: null,
              }
            : {
                runId: outcome.failure.runId,
                kind: 'eval',
                target: target.name,
                of: suiteName,
                status: 'failed',
                headline: failedHeadline(),
                error: outcome.failure.error,
              };
        evals.push(child);
        children.push(child);
      }
      // A child that failed before its suite was loaded carries the suite's file name; it gets the suite's own.
      for (const child of evals) child.of = suiteName;
      tradeoffs.push(await tradeoffOf(options, suiteName, evals));
    }
    for (const [index, entry] of loaded.config.load.entries()) {
      for (const target of selectTargets(loaded, entry.targets)) {
        if (signal.aborted) break;
        const of = entry.name ?? entry.load.profile;
        const outcome = await runChild(
          (started) => runLoadEntry(options, entry, index, target, started),
          options.onLine,
          `load ${of} → ${target.name}`,
        );
        children.push(
          'summary' in outcome
            ? {
                runId: outcome.summary.runId,
                kind: 'bench',
                target: target.name,
                of,
                status: outcome.summary.status,
                headline: benchHeadline(outcome.summary),
                error: null,
              }
            : {
                runId: outcome.failure.runId,
                kind: 'bench',
                target: target.name,
                of,
                status: 'failed',
                headline: failedHeadline(),
                error: outcome.failure.error,
              },
        );
      }
    }
    if (signal.aborted || children.some((c) => c.status === 'interrupted')) status = 'interrupted';
  } catch (error) {
    await run.finish('failed', await summaryOf('failed', messageOf(error)));
    throw error;
  }
  const summary = await summaryOf(status, null);
  const record = await run.finish(status, summary);
  return { summary, record };
}

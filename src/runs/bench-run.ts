import type { LoadedBenchConfig } from '../load/load-bench-config.js';
import { redactSecrets } from '../config/redact.js';
import { usageError, YardstickError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { evaluateThresholds } from '../efficiency/thresholds.js';
import { checkOneWorkerForOwnTarget, runLoad, type LiveProgress } from '../load/engine.js';
import { readFilePrompts } from '../load/inputs/from-file.js';
import { readDataset } from '../load/inputs/create.js';
import { datasetJson } from './dataset-json.js';
import { loadClientTokenizer } from '../tokens/client-tokenizer.js';
import { choosePromptTokenizer } from '../load/inputs/prompt-tokenizer-choice.js';
import { scanTraceOf, type PreparedTrace } from '../load/trace/prepared-trace.js';
import { prepareTraceVocabulary } from '../load/trace/trace-prompts.js';
import { maxConnections, searchSettings } from '../load/step-plans.js';
import { sloSearchResult } from '../load/slo-search.js';
import { benchJson, type BenchJson, type ServerMetricsJson } from '../efficiency/bench-json.js';
import { readCommandLine } from '../resources/proc.js';
import { ResourceSampler, summarizeResources } from '../resources/sampler.js';
import { ServerMetricsScraper, serverTokenCounts, type ServerMetricsRecord } from '../resources/server-metrics.js';
import { chooseServerMetrics } from './server-metrics-choice.js';
import { preparePromptsFor, promptsJson, type PreparedPromptsWithChoice } from './synthetic-prompts.js';
import type { BenchRunRecord } from '../efficiency/stored-bench.js';
import { RunLifecycle } from '../store/run-lifecycle.js';
import type { RunObserver } from '../store/run-observer.js';
import type { Store } from '../store/store.js';
import { openAiConfigFor, registerBuiltinTarget } from '../serve/builtin-target.js';
import { createProbeTarget } from '../targets/registry.js';
import type { Target } from '../targets/target.js';
import type { ShardHostFactory } from '../load/shard-host.js';
import { scaleOutJson } from './scale-out-json.js';

export interface BenchRunOptions {
  loaded: LoadedBenchConfig;
  store: Store;
  signal: AbortSignal;
  /** A local target process whose CPU and memory to sample. */
  targetPid: number | null;
  /**
   * A target of the caller's own, instead of the one the config describes: the load is sent to it from this thread
   * (so `load.workers` must be 1), and it is not closed by the run.
   */
  target?: Target;
  /** Follow the run: told once it is recorded as running (before any load is sent), of live snapshots, and its end. */
  observers?: readonly BenchObserver[];
  /** Where the load's shards run when not on this process's threads: `yardstick worker` processes (`--queue`). */
  shards?: ShardHostFactory;
  sampleIntervalMs?: number;
  /** How often the server's Prometheus metrics are scraped (default 500 ms). */
  serverMetricsIntervalMs?: number;
}

/** Something that follows a load test: its live recorder snapshots, its start and end. */
export type BenchObserver = RunObserver<'bench', BenchJson, LiveProgress>;

export interface BenchRunResult {
  summary: BenchJson;
  record: BenchRunRecord;
}

/** The scraped metrics, with the growth of the server's token counters over the run. */
function withTokenCounts(record: ServerMetricsRecord): ServerMetricsJson {
  return { ...record, tokens: serverTokenCounts(record) };
}

/**
 * Runs a benchmark end to end: checks the inputs (exit 2) and that the target is reachable (exit 4), records the run
 * as running, drives the load while sampling resources, evaluates thresholds and saves the finished record.
 * An interrupted run is saved as such with everything measured until then.
 */
export async function runBench(options: BenchRunOptions): Promise<BenchRunResult> {
  const { loaded, store } = options;
  registerBuiltinTarget();
  // Bad input is reported before anything is recorded or sent; the load threads read the file again themselves.
  if (loaded.config.input.kind === 'file')
    readFilePrompts(loaded.config.input.path, loaded.config.input.maxTokens ?? null);
  const load = loaded.config.load;
  const traceScan = load.profile === 'trace' ? scanTraceOf(load) : null;
  const input = loaded.config.input;
  const dataset =
    input.kind === 'dataset' ? datasetJson(input, await readDataset(input, await loadClientTokenizer())) : null;
  const own = options.target;
  const targetConfig = loaded.config.target;
  const probe = own ?? (targetConfig === undefined ? null : createProbeTarget(targetConfig));
  if (probe === null)
    throw usageError('TARGET_MISSING', 'the load test has no target', 'name one in the config, or pass a Target');
  // Checked before the run is recorded, so a refused load leaves no failed run behind.
  if (own !== undefined) checkOneWorkerForOwnTarget(loaded.config.load.workers);
  if (own !== undefined && options.shards !== undefined)
    throw usageError(
      'QUEUE_UNSUPPORTED',
      'a target object answers in this process, so its load cannot go to worker processes',
      'describe the target in the config, or run without --queue',
    );
  let prepared: PreparedPromptsWithChoice | null = null;
  let trace: PreparedTrace | null = null;
  try {
    await probe.checkReachable();
    if (traceScan !== null)
      trace = {
        scan: traceScan,
        vocabulary: await prepareTraceVocabulary((await choosePromptTokenizer(probe)).tokenizer),
      };
    else if (loaded.config.input.kind === 'synthetic') prepared = await preparePromptsFor(probe, loaded.config.input);
  } finally {
    if (own === undefined) await probe.close();
  }
  const target = probe.describe();
  const metricsChoice = await chooseServerMetrics(loaded.config.serverMetrics, target);
  // Load threads reach a reference model over HTTP at the server the probe started, rather than each starting one.
  const sent: LoadedBenchConfig =
    targetConfig?.kind === 'builtin'
      ? { ...loaded, config: { ...loaded.config, target: openAiConfigFor(targetConfig, target.url) } }
      : loaded;
  const run = await RunLifecycle.start<'bench', BenchJson, LiveProgress>(
    store,
    { kind: 'bench', config: redactSecrets(loaded.config), target },
    options.observers ?? [],
  );
  // Read before the load: the process may be gone by the end.
  const targetProcess =
    options.targetPid === null ? null : { pid: options.targetPid, commandLine: readCommandLine(options.targetPid) };
  const sampler = new ResourceSampler({
    intervalMs: options.sampleIntervalMs ?? 1000,
    targetPid: options.targetPid,
    gpu: true,
  });
  sampler.start();
  const metrics =
    'url' in metricsChoice
      ? { scraper: new ServerMetricsScraper(metricsChoice.url, options.serverMetricsIntervalMs ?? 500) }
      : metricsChoice;
  const scraper = 'scraper' in metrics ? metrics.scraper : null;
  await scraper?.start();
  let outcome: Awaited<ReturnType<typeof runLoad>>;
  try {
    outcome = await runLoad(sent, {
      signal: options.signal,
      // Snapshots cost the main thread a merge of every shard's recorder: taken only for an observer that follows them.
      ...((options.observers ?? []).some((o) => o.progress !== undefined)
        ? { onProgress: (progress: LiveProgress) => run.progress(progress) }
        : {}),
      ...(prepared === null ? {} : { prompts: prepared.prompts }),
      ...(trace === null ? {} : { trace }),
      ...(own === undefined ? {} : { target: own }),
      ...(options.shards === undefined ? {} : { shards: options.shards }),
    });
  } catch (error) {
    const resources = await sampler.stop();
    await scraper?.stop();
    await run.fail(resources);
    throw error;
  }
  const resources = await sampler.stop();
  const serverMetrics =
    'scraper' in metrics ? withTokenCounts(await metrics.scraper.stop()) : { notMeasured: metrics.notMeasured };
  const summary = benchJson({
    runId: run.id,
    interrupted: outcome.interrupted,
    target,
    profile: { ...loaded.config.load, maxConnections: maxConnections(loaded.config.load) },
    overall: outcome.overall,
    steps: outcome.steps,
    sweep: loaded.config.load.profile === 'sweep' || loaded.config.load.profile === 'slo-search',
    sloSearch:
      loaded.config.load.profile === 'slo-search'
        ? sloSearchResult(searchSettings(loaded.config.load), outcome.steps)
        : null,
    thresholds: evaluateThresholds(loaded.thresholds, outcome.overall),
    resources: summarizeResources(resources),
    serverMetrics,
    targetProcess,
    prompts: prepared === null ? null : promptsJson(prepared),
    trace:
      trace === null
        ? null
        : { ...trace.scan, tokenizer: trace.vocabulary.tokenizer.name, exactLengths: trace.vocabulary.exactLengths },
    dataset,
    scaleOut:
      options.shards === undefined
        ? null
        : scaleOutJson(options.shards.origin, options.shards.hostsInfo(), outcome.shards),
  });
  const record = await run.finish(summary.status, summary, resources);
  if (summary.status === 'failed') {
    const breakdown = Object.entries(summary.errors)
      .map(([category, count]) => `${count} ${category}`)
      .join(', ');
    throw new YardstickError({
      code: 'ALL_REQUESTS_FAILED',
      message: `every request to ${target.name} failed (${breakdown}); nothing was measured. First error: ${summary.errorSamples[0]?.message ?? 'none recorded'}`,
      hint: `the run is saved as ${record.id} (failed; yardstick runs show ${record.id} lists its errors); check the target's URL, model name and key, then run again`,
      exitCode: ExitCode.targetUnreachable,
    });
  }
  return { summary, record };
}

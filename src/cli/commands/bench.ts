import type { Command } from 'commander';
import type { LiveProgress } from '../../load/engine.js';
import { loadBenchConfig } from '../../load/load-bench-config.js';
import { parseLengthsFlag, type LengthDistribution } from '../../load/length-distribution.js';
import { ExitCode } from '../../core/exit-codes.js';
import { usageError } from '../../core/errors.js';
import { progressLine, ProgressLine } from '../../report/progress.js';
import { renderBench } from '../../report/console-bench.js';
import { renderBenchRepeats } from '../../report/console-bench-repeats.js';
import { runBench } from '../../runs/bench-run.js';
import { queueShardsOf, type BenchQueueFlags } from '../bench-queue-flags.js';
import type { QueueShards } from '../../queue/queue-shards.js';
import { runBenchRepeats } from '../../runs/bench-repeats-run.js';
import { parseDurationMs } from '../../core/units.js';
import { onReferenceModelProgress, stopReferenceServers } from '../../serve/shared-servers.js';
import { openStore } from '../../store/open-store.js';
import { abortOnInterrupt } from '../interrupt.js';
import { collect, numberOr, prune } from '../flags.js';
import { printJson } from '../output.js';
import { benchEvents, jsonLinesFile } from '../../report/event-stream.js';
import type { GlobalOptions } from '../global-options.js';

interface BenchFlags extends BenchQueueFlags {
  config?: string;
  events?: string;
  kind?: string;
  url?: string;
  model?: string;
  apiKeyEnv?: string;
  stream: boolean;
  bodyTemplate?: string;
  outputPath?: string;
  timeout?: string;
  client?: string;
  profile?: string;
  rate?: string;
  concurrency?: string;
  maxConcurrency?: string;
  steps?: string;
  duration?: string;
  requests?: string;
  warmup?: string;
  cooldown?: string;
  minDuration?: string;
  repeats?: string;
  pause?: string;
  burstiness?: string;
  inputLengths?: string;
  outputLengths?: string;
  sharedPrefix: string[];
  objective: string[];
  maxRate?: string;
  tolerance?: string;
  stepDuration?: string;
  stages?: string;
  startRate?: string;
  trace?: string;
  traceFormat?: string;
  timeScale?: string;
  blockTokens?: string;
  validityPercentiles?: string;
  validityConfidence?: string;
  workers?: string;
  seed?: string;
  promptSeed?: string;
  serverMetrics?: string;
  inputTokens?: string;
  outputTokens?: string;
  fixedOutput?: boolean;
  prompts?: string;
  dataset?: string;
  datasetFormat?: string;
  promptColumn?: string;
  conversations?: string;
  maxTurns?: string;
  datasetLimit?: string;
  turns?: string;
  thinkTime?: string;
  slo: string[];
  threshold: string[];
  targetPid?: string;
  json?: boolean;
}

function parseJsonFlag(name: string, text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw usageError(
      'FLAG_INVALID',
      `--${name} is not valid JSON`,
      `quote it for the shell, e.g. --${name} '{"prompt": "{{prompt}}"}'`,
    );
  }
}

/** Maps flags onto the config's shape; the config schema validates both the same way. */
/** Whether a process with this pid runs here (signal 0 checks without sending; EPERM means it exists but is not ours). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

/**
 * The profile when `--profile` is not given: the one its flags imply (`--stages` a ramp, `--burstiness` gamma
 * arrivals, `--rate` an open loop, `--concurrency` a closed one), else one request at a time; with a config file, the
 * file's.
 */
export function impliedProfile(flags: BenchFlags): {
  profile: string | undefined;
  concurrency: number | string | undefined;
} {
  const concurrency = numberOr(flags.concurrency);
  if (flags.profile !== undefined) return { profile: flags.profile, concurrency };
  if (flags.objective.length > 0) return { profile: 'slo-search', concurrency };
  if (flags.trace !== undefined) return { profile: 'trace', concurrency };
  if (flags.stages !== undefined) return { profile: 'stages', concurrency };
  if (flags.burstiness !== undefined) return { profile: 'gamma', concurrency };
  if (flags.rate !== undefined) return { profile: 'rate', concurrency };
  if (flags.concurrency !== undefined) return { profile: 'concurrency', concurrency };
  if (flags.config !== undefined) return { profile: undefined, concurrency };
  return { profile: 'concurrency', concurrency: 1 };
}

/** A length distribution flag as the config's object; a usage error with the forms otherwise. */
function lengthsFlag(name: string, text: string | undefined): LengthDistribution | undefined {
  if (text === undefined) return undefined;
  const parsed = parseLengthsFlag(text);
  if (parsed === null)
    throw usageError(
      'FLAG_INVALID',
      `--${name} '${text}' is not a length distribution`,
      'use fixed:N, uniform:MIN:MAX, normal:MEAN:SD, lognormal:MEAN:SD or empirical:FILE, e.g. lognormal:200:100',
    );
  return parsed;
}

/** `--shared-prefix 4:512:0.5` as a prefix bucket; a usage error naming the form otherwise. */
function parseSharedPrefix(text: string): { count: number; tokens: number; share: number } {
  const [count, tokens, share] = text.split(':').map(Number);
  if (
    count === undefined ||
    tokens === undefined ||
    share === undefined ||
    !Number.isInteger(count) ||
    !Number.isInteger(tokens) ||
    count < 1 ||
    tokens < 1 ||
    !(share > 0 && share <= 1)
  )
    throw usageError(
      'FLAG_INVALID',
      `--shared-prefix '${text}' is not COUNT:TOKENS:SHARE`,
      'e.g. --shared-prefix 4:512:0.5 (half the prompts start with one of 4 prefixes of 512 tokens)',
    );
  return { count, tokens, share };
}

/** `--stages 30s:100,1m:100,30s:0` as the config's `stages`; a usage error naming the bad part otherwise. */
export function parseStages(text: string): { duration: string; target: number }[] {
  return text.split(',').map((part) => {
    const [duration = '', target = ''] = part.trim().split(':');
    const rate = Number(target);
    if (duration === '' || target.trim() === '' || !Number.isFinite(rate) || rate < 0)
      throw usageError(
        'FLAG_INVALID',
        `--stages: '${part}' is not DURATION:RATE`,
        "give each stage as its duration and the rate to reach, e.g. --stages '30s:100,1m:100,30s:0'",
      );
    return { duration, target: rate };
  });
}

export function overridesFromFlags(flags: BenchFlags): Record<string, unknown> {
  const implied = impliedProfile(flags);
  const kind = flags.kind ?? (flags.url !== undefined && flags.config === undefined ? 'openai-chat' : undefined);
  const isHttp = kind === 'http';
  const syntheticFlags =
    (flags.sharedPrefix.length > 0 ? 'prefixes' : undefined) ??
    flags.inputTokens ??
    flags.outputTokens ??
    flags.fixedOutput ??
    flags.promptSeed ??
    flags.inputLengths ??
    flags.outputLengths ??
    flags.turns;
  return prune({
    target: {
      kind,
      [isHttp ? 'url' : 'baseUrl']: flags.url,
      model: flags.model,
      apiKeyEnv: flags.apiKeyEnv,
      stream: flags.stream ? undefined : false,
      bodyTemplate: parseJsonFlag('body-template', flags.bodyTemplate),
      outputPath: flags.outputPath,
      timeout: flags.timeout,
      client: flags.client,
    },
    load: {
      profile: implied.profile,
      ratePerS: numberOr(flags.rate),
      burstiness: numberOr(flags.burstiness),
      stages: flags.stages === undefined ? undefined : parseStages(flags.stages),
      startRate: numberOr(flags.startRate),
      trace: flags.trace,
      traceFormat: flags.traceFormat,
      timeScale: numberOr(flags.timeScale),
      blockTokens: numberOr(flags.blockTokens),
      objectives: flags.objective.length > 0 ? flags.objective : undefined,
      maxRate: numberOr(flags.maxRate),
      tolerance: numberOr(flags.tolerance),
      stepDuration: flags.stepDuration,
      concurrency: implied.concurrency,
      maxConcurrency: numberOr(flags.maxConcurrency),
      steps: numberOr(flags.steps),
      duration: flags.duration,
      requests: numberOr(flags.requests),
      warmup: flags.warmup,
      cooldown: flags.cooldown,
      workers: numberOr(flags.workers),
      seed: numberOr(flags.seed),
      thinkTime: flags.thinkTime,
    },
    input:
      flags.dataset !== undefined
        ? {
            kind: 'dataset',
            path: flags.dataset,
            format: flags.datasetFormat,
            column: flags.promptColumn,
            conversations: flags.conversations,
            maxTurns: numberOr(flags.maxTurns),
            maxTokens: numberOr(flags.outputTokens),
            limit: numberOr(flags.datasetLimit),
            fixedOutputLength: flags.fixedOutput,
          }
        : flags.prompts !== undefined
          ? { kind: 'file', path: flags.prompts, maxTokens: numberOr(flags.outputTokens) }
          : syntheticFlags === undefined
            ? undefined
            : {
                kind: 'synthetic',
                inputTokens: numberOr(flags.inputTokens),
                outputTokens: numberOr(flags.outputTokens),
                fixedOutputLength: flags.fixedOutput,
                seed: numberOr(flags.promptSeed),
                turns: numberOr(flags.turns),
                inputLengths: lengthsFlag('input-lengths', flags.inputLengths),
                outputLengths: lengthsFlag('output-lengths', flags.outputLengths),
                prefixes: flags.sharedPrefix.length === 0 ? undefined : flags.sharedPrefix.map(parseSharedPrefix),
              },
    slo: flags.slo.length > 0 ? flags.slo : undefined,
    thresholds: flags.threshold.length > 0 ? flags.threshold : undefined,
    validity: {
      minDuration: flags.minDuration,
      percentiles: flags.validityPercentiles?.split(',').map((p) => p.trim()),
      confidence: numberOr(flags.validityConfidence),
    },
    serverMetrics: flags.serverMetrics,
  });
}

/** `yardstick bench`: load-test a model endpoint and report its efficiency. */
export function registerBench(program: Command, globals: () => GlobalOptions): void {
  program
    .command('bench')
    .description(
      'measure the efficiency of a model endpoint under load: latency (ttft, itl, e2e…), throughput, goodput, errors, resources',
    )
    .option('-c, --config <file>', 'YAML config (flags override its values)')
    .option(
      '--kind <kind>',
      'target kind: openai-chat, openai-completions, http, gguf (a local model file: --model PATH) (default openai-chat)',
    )
    .option(
      '--url <url>',
      'base URL of an OpenAI-compatible API (e.g. http://127.0.0.1:8000/v1), or the endpoint for --kind http',
    )
    .option('--model <name>', 'model name to send')
    .option('--api-key-env <VAR>', 'environment variable holding the API key (the key is never stored or printed)')
    .option('--no-stream', 'ask for whole responses instead of streams (no ttft/itl)')
    .option('--body-template <json>', 'http targets: JSON body with {{prompt}}, {{max_tokens}}, {{messages}}')
    .option('--output-path <path>', "http targets: where the output is in the response, e.g. 'choices[0].text'")
    .option('--timeout <duration>', 'per-request timeout (default 60s)')
    .option('--client <name>', "HTTP client: 'yardstick' (its own HTTP/1.1 client, the default) or 'undici'")
    .option(
      '--profile <name>',
      'concurrency | rate | poisson | gamma | stages | throughput | sweep | slo-search | trace (default: rate with --rate, else concurrency; one request at a time without --concurrency)',
    )
    .option('--rate <perS>', 'requests per second (rate, poisson, gamma)')
    .option('--burstiness <b>', 'gamma: shape of the gaps, 1 Poisson, below 1 burstier (default 1)')
    .option(
      '--stages <list>',
      "stages: the rate ramps linearly to each target over each duration, e.g. '30s:100,1m:100,30s:0'",
    )
    .option(
      '--start-rate <perS>',
      'stages: the rate the first stage starts from (default 0); slo-search: the first rate tried (default 1)',
    )
    .option(
      '--objective <expr>',
      "slo-search: an objective every step must meet, e.g. 'p95(ttft) < 500ms' (repeatable)",
      collect,
      [],
    )
    .option('--max-rate <perS>', 'slo-search: the highest rate tried (default 10000)')
    .option('--tolerance <share>', 'slo-search: stop bisecting when the bracket is this narrow (default 0.05)')
    .option(
      '--step-duration <duration>',
      'slo-search: length of each search step (default 10s); --duration is the confirmation',
    )
    .option(
      '--trace <file>',
      'replay a trace at its own times: JSON lines of timestamp (ms), input_length, output_length, hash_ids (Mooncake), or BurstGPT CSV',
    )
    .option('--trace-format <format>', 'trace: auto (by extension), mooncake or burstgpt (default auto)')
    .option('--time-scale <factor>', "trace: multiply the trace's times, 2 = half speed, 0.5 = double (default 1)")
    .option('--block-tokens <n>', 'trace: tokens per hash_ids block (default 512, as Mooncake)')
    .option('--concurrency <n>', 'virtual users (concurrency)')
    .option('--max-concurrency <n>', 'cap on requests in flight (rate, poisson, throughput, sweep)')
    .option('--steps <k>', 'sweep: rates between the synchronous and the maximum throughput (default 8)')
    .option('--duration <duration>', 'stop sending after this long (per step for sweeps), e.g. 30s')
    .option('--requests <n>', 'stop after this many requests (per step for sweeps)')
    .option('--warmup <portion>', "left out of statistics at the start: a duration ('5s') or a share ('10%')")
    .option('--cooldown <portion>', 'left out of statistics at the end: a duration or a share')
    .option('--repeats <n>', 'run the same bench n times and summarize each statistic across the runs (default 1)')
    .option('--pause <duration>', 'with --repeats: pause between runs so the server settles (default 10s)')
    .option('--min-duration <duration>', 'validity: the shortest measured window of a valid result (default 60s)')
    .option(
      '--validity-percentiles <list>',
      'validity: percentiles that need both bounds, e.g. p50,p99 (default p50,p90,p95,p99)',
    )
    .option('--validity-confidence <level>', 'validity: confidence of the percentile bounds (default 0.95)')
    .option('--workers <n>', 'worker threads generating load (default 1); with --queue, worker processes')
    .option(
      '--queue <redis-url>',
      'spread the load over `yardstick worker` processes through this Redis, one shard per worker (--workers of them)',
    )
    .option(
      '--max-clock-error <ms>',
      'with --queue: refuse a worker whose clock is known no better than this (default 5)',
    )
    .option('--worker-wait <duration>', 'with --queue: how long to wait for enough workers (default 30s)')
    .option('--seed <n>', 'seed for Poisson arrivals')
    .option(
      '--prompt-seed <n>',
      "synthetic prompts: seed of their words (default: new for every run, so a server's prompt cache cannot answer a rerun; the run stores it: pass it to repeat the same prompts)",
    )
    .option('--input-tokens <n>', 'synthetic prompts: input length in tokens (default 128)')
    .option(
      '--input-lengths <dist>',
      'synthetic prompts: lengths drawn from fixed:N, uniform:MIN:MAX, normal:MEAN:SD, lognormal:MEAN:SD or empirical:FILE',
    )
    .option(
      '--shared-prefix <count:tokens:share>',
      "synthetic prompts: a share of them start with one of COUNT shared prefixes of TOKENS tokens, e.g. '4:512:0.5' (repeatable)",
      collect,
      [],
    )
    .option('--output-lengths <dist>', 'synthetic prompts: max_tokens drawn from a distribution (as --input-lengths)')
    .option('--output-tokens <n>', 'max_tokens to request (default 64)')
    .option(
      '--fixed-output',
      'also send ignore_eos and min_tokens so every response has exactly --output-tokens (vLLM)',
    )
    .option(
      '--prompts <file>',
      "JSONL/CSV/TSV of prompts with a 'prompt' or 'messages' field (and optional max_tokens)",
    )
    .option(
      '--dataset <file>',
      'prompts from a dataset: ShareGPT conversations (.json/.jsonl), or JSONL/CSV/TSV/Parquet with a prompt column',
    )
    .option('--dataset-format <format>', 'dataset: auto, sharegpt or column (default auto)')
    .option('--prompt-column <name>', "dataset: the prompt column of the column format (default 'prompt')")
    .option(
      '--conversations <mode>',
      "dataset: first-turn (each conversation's first user turn) or whole (every turn, as multi-turn sessions) (default first-turn)",
    )
    .option('--max-turns <n>', 'dataset: turns per conversation at most')
    .option('--dataset-limit <n>', 'dataset: only the first n usable records')
    .option('--turns <n>', 'synthetic prompts: user turns per multi-turn session (default 1)')
    .option(
      '--think-time <duration>',
      "multi-turn sessions: the pause between an answer and the session's next turn (default 0s)",
    )
    .option('--slo <expr>', "per-request objective for goodput, e.g. 'ttft < 500ms' (repeatable)", collect, [])
    .option(
      '--server-metrics <url>',
      "the server's Prometheus metrics, scraped every 500 ms and stored with the run; 'off' for none (default: the target's /metrics when it answers in Prometheus format)",
    )
    .option(
      '--threshold <expr>',
      "pass/fail rule, e.g. 'p95(ttft) < 500ms', 'error_rate < 1%' (repeatable; failing exits 3)",
      collect,
      [],
    )
    .option('--target-pid <pid>', 'sample CPU and memory of this local target process')
    .option('--json', 'print only the JSON summary on stdout')
    .option('--events <file>', 'write the run as JSON lines while it runs: started, a snapshot every 0.5 s, finished')
    .addHelpText(
      'after',
      `
Examples:
  yardstick bench --url http://127.0.0.1:8000/v1 --model llama --profile rate --rate 10 --duration 30s
  yardstick bench --url http://127.0.0.1:8000/v1 --model llama --profile sweep --duration 20s --slo 'ttft < 500ms'
  yardstick bench --url http://127.0.0.1:8000/v1 --model llama --trace mooncake.jsonl --time-scale 2
  yardstick bench --url http://127.0.0.1:8000/v1 --model llama --dataset sharegpt.json --conversations whole --think-time 2s --concurrency 8 --duration 1m
  yardstick bench -c bench.yaml --threshold 'p95(ttft) < 500ms' --json`,
    )
    .action(async (flags: BenchFlags) => {
      const loaded = loadBenchConfig({ path: flags.config ?? null, overrides: overridesFromFlags(flags) });
      const targetPid = flags.targetPid === undefined ? null : Number(flags.targetPid);
      if (targetPid !== null && !(Number.isInteger(targetPid) && targetPid > 0)) {
        throw usageError(
          'FLAG_INVALID',
          `--target-pid '${flags.targetPid}' is not a process id`,
          'give the numeric pid of the local server process',
        );
      }
      if (targetPid !== null && !processExists(targetPid)) {
        throw usageError(
          'TARGET_PID_UNKNOWN',
          `--target-pid ${targetPid}: no such process on this machine`,
          'give the pid of the running server process (e.g. pgrep -f llama-server), or leave the flag out',
        );
      }
      const implied = impliedProfile(flags);
      if (flags.json !== true && flags.profile === undefined && implied.profile !== undefined) {
        process.stderr.write(
          `profile: ${implied.profile ?? ''}${implied.profile === 'concurrency' ? ` ${String(implied.concurrency)}` : ''} (no --profile given; --profile picks another)\n`,
        );
      }
      const repeats = flags.repeats === undefined ? 1 : Number(flags.repeats);
      if (!Number.isInteger(repeats) || repeats < 1 || repeats > 100)
        throw usageError(
          'FLAG_INVALID',
          `--repeats '${flags.repeats ?? ''}' is not a count of runs`,
          'give 2 to 100, e.g. --repeats 5',
        );
      const pauseMs = flags.pause === undefined ? 10_000 : parseDurationMs(flags.pause);
      if (pauseMs === null || pauseMs < 0)
        throw usageError(
          'FLAG_INVALID',
          `--pause '${flags.pause ?? ''}' is not a duration`,
          'e.g. --pause 10s or --pause 0s',
        );
      if (repeats > 1 && flags.events !== undefined)
        throw usageError('FLAG_INVALID', '--events follows one run, not repeats', 'leave out --events or --repeats');
      const store = openStore(globals().store);
      let shards: QueueShards | null;
      try {
        shards = await queueShardsOf(flags, loaded.config.load.workers, (line) => {
          if (flags.json !== true) process.stderr.write(`${line}\n`);
        });
      } catch (error) {
        await store.close();
        throw error;
      }
      const events = flags.events === undefined ? null : jsonLinesFile(flags.events);
      if (flags.json !== true) onReferenceModelProgress((line) => process.stderr.write(`${line}\n`));
      const progress = new ProgressLine(process.stderr);
      const showProgress = flags.json !== true && progress.enabled;
      const interrupt = abortOnInterrupt(() => {
        progress.clear();
        process.stderr.write(
          'interrupting: finishing in-flight requests as cancelled and saving the run (Ctrl-C again to quit at once)\n',
        );
      });
      try {
        if (repeats > 1) {
          const repeated = await runBenchRepeats({
            loaded,
            store,
            signal: interrupt.signal,
            targetPid,
            repeats,
            pauseMs,
            onRepeat: (index, of) => {
              if (flags.json !== true) process.stderr.write(`repeat ${index} of ${of}\n`);
            },
          });
          if (flags.json === true) printJson(repeated);
          else process.stdout.write(`${renderBenchRepeats(repeated)}\n`);
          if (interrupt.signal.aborted) process.exitCode = ExitCode.interrupted;
          else if (repeated.runs.some((r) => r.thresholdsFailed > 0)) process.exitCode = ExitCode.thresholdsFailed;
          return;
        }
        const { summary } = await runBench({
          loaded,
          store,
          signal: interrupt.signal,
          targetPid,
          ...(shards === null ? {} : { shards }),
          observers: [
            {
              started: (record) => {
                if (flags.json !== true) process.stderr.write(`run ${record.id} started\n`);
              },
              ...(showProgress ? { progress: (p: LiveProgress) => progress.update(progressLine(p)) } : {}),
            },
            ...(events === null ? [] : [benchEvents(events)]),
          ],
        });
        progress.clear();
        if (flags.json === true) printJson(summary);
        else process.stdout.write(`${renderBench(summary)}\n`);
        if (summary.status === 'interrupted') process.exitCode = ExitCode.interrupted;
        else if (summary.status === 'partial') process.exitCode = ExitCode.targetUnreachable;
        else if (summary.thresholds.some((t) => !t.pass)) process.exitCode = ExitCode.thresholdsFailed;
      } finally {
        interrupt.dispose();
        await shards?.close();
        events?.close();
        await store.close();
        await stopReferenceServers();
      }
    });
}

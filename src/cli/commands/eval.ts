import type { CaseDispatcher } from '../../eval/case-dispatch.js';
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ExitCode } from '../../core/exit-codes.js';
import { usageError } from '../../core/errors.js';
import { loadSuite } from '../../eval/load-suite.js';
import type { EvalJson } from '../../eval/eval-summary.js';
import { runEval, type EvalProgress } from '../../eval/runner.js';
import { isBenchmarkConfig, loadBenchmark, type LoadedBenchmark } from '../../benchmarks/load-benchmark.js';
import type { ScoringMode } from '../../benchmarks/benchmark-cases.js';
import type { CaseResult } from '../../eval/case-result.js';
import { recordAgreement } from '../../benchmarks/record-agreement.js';
import { readYaml } from '../../config/yaml-source.js';
import { benchmarkOverrides, type BenchmarkFlags } from './eval-benchmark.js';
import {
  benchmarkRunPlans,
  pickTargets,
  resumePlan,
  suitePlan,
  type EvalChoicesInput,
  type EvalPlan,
} from '../../runs/eval-plans.js';
import { evalProgressLine, renderEval } from '../../report/console-eval.js';
import { renderJunit } from '../../report/junit.js';
import { ProgressLine } from '../../report/progress.js';
import { onReferenceModelProgress, stopReferenceServers } from '../../serve/shared-servers.js';
import { openStore } from '../../store/open-store.js';
import { abortOnInterrupt } from '../interrupt.js';
import { collect } from '../flags.js';
import { printJson } from '../output.js';
import { evalEvents, jsonLinesFile } from '../../report/event-stream.js';
import type { GlobalOptions } from '../global-options.js';

interface EvalFlags extends BenchmarkFlags {
  target?: string;
  events?: string;
  limit?: string;
  sample?: string;
  seed?: string;
  stratify?: string;
  repeats?: string;
  concurrency?: string;
  rate?: string;
  retries?: string;
  cache: boolean;
  threshold: string[];
  resume?: string;
  json?: boolean;
  junit?: string;
  queue?: string;
  batch: string;
}

function positiveInteger(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0)
    throw usageError('FLAG_INVALID', `--${flag} '${text}' is not a positive integer`, `e.g. --${flag} 100`);
  return n;
}

function seedOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n)) throw usageError('FLAG_INVALID', `--seed '${text}' is not an integer`, 'e.g. --seed 7');
  return n;
}

/** What to run, from the flags; numbers are checked here, with the flag named. */
function choicesFrom(flags: EvalFlags, withLimit: boolean): EvalChoicesInput {
  const rate = flags.rate === undefined ? undefined : Number(flags.rate);
  if (rate !== undefined && !(rate > 0))
    throw usageError(
      'FLAG_INVALID',
      `--rate '${flags.rate}' is not a positive number`,
      'e.g. --rate 5 (requests started per second)',
    );
  return {
    limit: withLimit ? positiveInteger('limit', flags.limit) : undefined,
    sample: positiveInteger('sample', flags.sample),
    seed: seedOf(flags.seed),
    stratify: flags.stratify,
    repeats: positiveInteger('repeats', flags.repeats),
    concurrency: positiveInteger('concurrency', flags.concurrency),
    ratePerS: rate,
    cache: flags.cache,
  };
}

async function benchmarkRun(
  suitePath: string | undefined,
  flags: EvalFlags,
  onDownload: (url: string) => void,
): Promise<EvalPlan[]> {
  const choices = choicesFrom(flags, false);
  const loaded: LoadedBenchmark = await loadBenchmark({
    path: suitePath ?? null,
    overrides: benchmarkOverrides(flags),
    extraThresholds: flags.threshold,
    onDownload,
  });
  return benchmarkRunPlans(loaded, pickTargets(loaded.config.targets, flags.target), choices);
}

function isBenchmarkFile(path: string | undefined): boolean {
  return path !== undefined && isBenchmarkConfig(readYaml(path).raw);
}

/** `yardstick eval`: run an acceptance suite against one or more targets; accuracy with intervals and the efficiency of the same requests. */
export function registerEval(program: Command, globals: () => GlobalOptions): void {
  program
    .command('eval [suite]')
    .description(
      'evaluate targets on a suite of cases: scores, accuracy metrics with intervals, latency and cost of the same requests, repeatability, thresholds',
    )
    .option('--target <name>', 'run only this target of the suite (its name, model or position)')
    .option(
      '--limit <n>',
      'only the first N cases (after --sample); for benchmarks, the first N documents of each task',
    )
    .option('--sample <n>', 'a seeded random sample of N cases')
    .option('--seed <n>', "seed for --sample (default the suite's run.seed)")
    .option('--stratify <key>', "sample proportionally within strata: 'tag', 'label' or a column name")
    .option('--repeats <n>', 'answer every case N times and report repeatability')
    .option('--concurrency <n>', 'requests in flight at once (default run.concurrency, 4)')
    .option('--rate <perS>', 'start at most this many requests per second')
    .option('--no-cache', 'send every request even when a cached answer exists')
    .option(
      '--threshold <expr>',
      "acceptance rule added to the suite's, e.g. 'accuracy >= 0.9', 'p95(latency) < 800ms' (repeatable; failing exits 3)",
      collect,
      [],
    )
    .option('--resume <id>', 'continue an interrupted or crashed eval run: only its missing cases are sent')
    .option(
      '--queue <redis-url>',
      'hand the cases to `yardstick worker` processes through this Redis (BullMQ) instead of sending them from here; the store must be one every worker reaches (docs/scale-out.md)',
    )
    .option('--batch <n>', 'with --queue: cases per job', '20')
    .option(
      '--benchmark <names>',
      'run a standard benchmark instead of a suite: mmlu, glue, superglue or task names (cola, sst2, boolq, …), comma-separated',
    )
    .option(
      '--mode <modes>',
      'benchmark scoring: loglikelihood (completions/gguf), choice (ask for the label), generate (free text + extraction); several, comma-separated, also report their agreement',
    )
    .option(
      '--fewshot <n>',
      "benchmark: examples per prompt (default 5 for MMLU, 0 otherwise; 0 reproduces lm-evaluation-harness's MMLU default)",
    )
    .option('--subjects <list>', 'MMLU: only these subjects, comma-separated')
    .option('--split <name>', 'benchmark split to evaluate (MMLU: test or validation; GLUE/SuperGLUE: validation)')
    .option(
      '--data-dir <dir>',
      'local copies of the benchmark data (or YARDSTICK_DATA_DIR); missing files are downloaded from the Hugging Face hub at a pinned revision',
    )
    .option('--offline', 'never download benchmark data')
    .option('--max-tokens <n>', 'benchmark choice/generate modes: output budget (default 32 / 512)')
    .option(
      '--extract <regex>',
      "benchmark generate mode: where the answer is (first group), default the word after 'answer is'",
    )
    .option(
      '--kind <kind>',
      'benchmark target kind when given by flags: openai-completions (default), openai-chat, http',
    )
    .option('--url <url>', 'benchmark target base URL, e.g. http://127.0.0.1:8000/v1')
    .option('--model <name>', 'benchmark target model name')
    .option('--api-key-env <VAR>', 'benchmark target: environment variable holding the API key')
    .option(
      '--top-logprobs <n>',
      'benchmark loglikelihood mode on a server without echo: how many likely first tokens to ask for (default 20; llama.cpp returns as many as asked, vLLM and OpenAI at most 20)',
    )
    .option('--json', 'print only the JSON summary (an array when the suite has several targets)')
    .option('--junit <file>', 'also write JUnit XML, one testcase per case (for CI)')
    .option('--events <file>', 'write each run as JSON lines while it runs: started, its counts every 0.5 s, finished')
    .addHelpText(
      'after',
      `
Examples:
  yardstick eval examples/eval/sentiment.yaml
  yardstick eval suite.yaml --sample 200 --stratify label --threshold 'lower(accuracy) >= 0.8'
  yardstick eval suite.yaml --repeats 5 --json > result.json
  yardstick eval --resume 20261128-101500-ab12
  yardstick eval --benchmark mmlu --url http://127.0.0.1:8000/v1 --model llama --data-dir ./data
  yardstick eval --benchmark glue --kind openai-chat --url https://api.example.com/v1 --model m --mode choice
  yardstick eval --benchmark boolq,copa --mode loglikelihood,choice --limit 200 --url … --model …`,
    )
    .action(async (suitePath: string | undefined, flags: EvalFlags) => {
      if (suitePath === undefined && flags.resume === undefined && flags.benchmark === undefined)
        throw usageError(
          'FLAG_INVALID',
          'give a suite file, --benchmark NAME, or --resume ID',
          'e.g. yardstick eval examples/eval/sentiment.yaml, or yardstick eval --benchmark mmlu --url http://127.0.0.1:8000/v1 --model M',
        );
      if (suitePath !== undefined && flags.resume !== undefined)
        throw usageError(
          'FLAG_INVALID',
          '--resume continues a stored run with its own suite; leave out the suite file',
          `yardstick eval --resume ${flags.resume}`,
        );
      const events = flags.events === undefined ? null : jsonLinesFile(flags.events);
      const store = openStore(globals().store);
      if (flags.json !== true) onReferenceModelProgress((line) => process.stderr.write(`${line}\n`));
      const progress = new ProgressLine(process.stderr);
      const showProgress = flags.json !== true && progress.enabled;
      const interrupt = abortOnInterrupt(() => {
        progress.clear();
        process.stderr.write(
          'interrupting: saving the cases answered so far (resume with --resume ID; Ctrl-C again to quit at once)\n',
        );
      });
      try {
        const plans: EvalPlan[] = [];
        if (flags.resume !== undefined) plans.push(await resumePlan(store, flags.resume));
        else if (flags.benchmark !== undefined || isBenchmarkFile(suitePath)) {
          plans.push(...(await benchmarkRun(suitePath, flags, (url) => process.stderr.write(`downloading ${url}\n`))));
        } else {
          const stray = (
            [
              'mode',
              'fewshot',
              'subjects',
              'split',
              'dataDir',
              'maxTokens',
              'extract',
              'kind',
              'url',
              'model',
              'apiKeyEnv',
              'topLogprobs',
            ] as const
          ).filter((k) => flags[k] !== undefined);
          if (stray.length > 0)
            throw usageError(
              'FLAG_INVALID',
              `${stray.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} ${stray.length === 1 ? 'applies' : 'apply'} to benchmarks, not to suites`,
              "a suite's targets are in its file; add --benchmark NAME to run a benchmark",
            );
          const choices = choicesFrom(flags, true);
          const suite = await loadSuite({ path: suitePath ?? null, overrides: {}, extraThresholds: flags.threshold });
          for (const index of pickTargets(suite.config.targets, flags.target))
            plans.push(suitePlan(suite, index, choices));
        }
        const dispatcher =
          flags.queue === undefined
            ? null
            : await queueDispatcherOf(flags.queue, positiveInteger('batch', flags.batch) ?? 20);
        const firstMode = new Map<number, { runId: string; mode: ScoringMode; results: CaseResult[] }>();
        const summaries: EvalJson[] = [];
        const junit: string[] = [];
        for (const plan of plans) {
          const ran = await runEval({
            ...(dispatcher === null ? {} : { dispatcher }),
            suite: plan.suite,
            settings: plan.settings,
            store,
            signal: interrupt.signal,
            resume: plan.resume,
            observers: [
              {
                started: (record, info) => {
                  if (flags.json !== true)
                    process.stderr.write(`run ${record.id} started: ${info.requests ?? 0} requests to answer\n`);
                },
                ...(showProgress ? { progress: (p: EvalProgress) => progress.update(evalProgressLine(p)) } : {}),
              },
              ...(events === null ? [] : [evalEvents(events)]),
            ],
          });
          progress.clear();
          for (const f of ran.failedWork)
            process.stderr.write(`warning: ${f.items} cases were not done by any worker: ${f.reason}\n`);
          const { results } = ran;
          let summary = ran.summary;
          if (plan.mode !== undefined) {
            const first = firstMode.get(plan.settings.targetIndex);
            if (first === undefined)
              firstMode.set(plan.settings.targetIndex, { runId: summary.runId, mode: plan.mode, results });
            else summary = await recordAgreement(store, summary, results, first);
          }
          summaries.push(summary);
          if (flags.junit !== undefined) junit.push(renderJunit(summary, results));
          if (flags.json !== true) process.stdout.write(`${renderEval(summary)}\n${plans.length > 1 ? '\n' : ''}`);
          if (interrupt.signal.aborted) break;
        }
        if (flags.junit !== undefined)
          writeFileSync(flags.junit, junit.length === 1 ? (junit[0] ?? '') : mergeJunit(junit));
        if (flags.json === true) printJson(summaries.length === 1 ? summaries[0] : summaries);
        if (summaries.some((s) => s.status === 'interrupted')) process.exitCode = ExitCode.interrupted;
        else if (summaries.some((s) => s.thresholds.some((t) => !t.pass))) process.exitCode = ExitCode.thresholdsFailed;
      } finally {
        interrupt.dispose();
        events?.close();
        await store.close();
        await stopReferenceServers();
      }
    });
}

/** Several runs' JUnit documents as one `<testsuites>`. */
function mergeJunit(documents: readonly string[]): string {
  const suites = documents.map((d) => /<testsuite [\s\S]*<\/testsuite>/.exec(d)?.[0] ?? '').join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="yardstick eval">\n${suites}\n</testsuites>\n`;
}

/** The dispatcher of `eval --queue`, once its Redis answers; the queue's client loads only for a run that uses it. */
async function queueDispatcherOf(url: string, batchSize: number): Promise<CaseDispatcher> {
  await (await import('../../queue/queue-reachable.js')).checkQueueReachable(url);
  return (await import('../../queue/eval-queue.js')).queueDispatcher(url, batchSize);
}

import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ExitCode } from '../../core/exit-codes.js';
import { usageError } from '../../core/errors.js';
import { loadSuite, type LoadedSuite } from '../../eval/load-suite.js';
import type { EvalJson } from '../../eval/eval-summary.js';
import { runEval, type EvalRunSettings } from '../../eval/runner.js';
import { evalProgressLine, renderEval } from '../../report/console-eval.js';
import { renderJunit } from '../../report/junit.js';
import { ProgressLine } from '../../report/progress.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { abortOnInterrupt } from '../interrupt.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';

interface EvalFlags {
  target?: string;
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
}

function positiveInteger(flag: string, text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw usageError('FLAG_INVALID', `--${flag} '${text}' is not a positive integer`, `e.g. --${flag} 100`);
  return n;
}

function seedOf(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  if (!Number.isInteger(n)) throw usageError('FLAG_INVALID', `--seed '${text}' is not an integer`, 'e.g. --seed 7');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Which of the suite's targets to run: all by default, or the one `--target` names (by name, model or position). */
function targetIndices(suite: LoadedSuite, wanted: string | undefined): number[] {
  const all = suite.config.targets.map((_, i) => i);
  if (wanted === undefined) return all;
  const names = suite.config.targets.map((t, i) => t.name ?? (t.kind === 'http' ? `target${i + 1}` : t.model));
  const index = names.findIndex((name) => name === wanted);
  if (index >= 0) return [index];
  const position = Number(wanted);
  if (Number.isInteger(position) && position >= 1 && position <= names.length) return [position - 1];
  throw usageError('FLAG_INVALID', `--target '${wanted}' is not one of the suite's targets`, `targets: ${names.join(', ')}`);
}

function settingsFrom(suite: LoadedSuite, flags: EvalFlags, targetIndex: number): EvalRunSettings {
  const sample = positiveInteger('sample', flags.sample);
  const stratify = flags.stratify ?? null;
  if (stratify !== null && sample === null) throw usageError('FLAG_INVALID', '--stratify needs --sample', 'e.g. --sample 200 --stratify label');
  const rate = flags.rate === undefined ? (suite.config.run.ratePerS ?? null) : Number(flags.rate);
  if (rate !== null && !(rate > 0)) throw usageError('FLAG_INVALID', `--rate '${flags.rate}' is not a positive number`, 'e.g. --rate 5 (requests started per second)');
  return {
    suite: suite.raw,
    suitePath: suite.path,
    baseDir: suite.baseDir,
    targetIndex,
    sampling: { limit: positiveInteger('limit', flags.limit), sample, seed: seedOf(flags.seed) ?? suite.config.run.seed, stratify },
    repeats: positiveInteger('repeats', flags.repeats) ?? suite.config.run.repeats,
    concurrency: positiveInteger('concurrency', flags.concurrency) ?? suite.config.run.concurrency,
    ratePerS: rate,
    cache: flags.cache && suite.config.run.cache,
  };
}

async function resumeSettings(store: Store, id: string): Promise<{ suite: LoadedSuite; settings: EvalRunSettings; record: NonNullable<ReturnType<Store['getRun']>> }> {
  const record = store.getRun(id);
  if (record === null) throw usageError('RUN_NOT_FOUND', `no run with id '${id}' in the store`, 'list eval runs with `yardstick runs list --kind eval` (and check --store)');
  if (record.kind !== 'eval') throw usageError('RESUME_UNSUPPORTED', `run ${record.id} is a ${record.kind} run; only eval runs resume`, 'start a new run instead');
  if (record.status === 'completed') throw usageError('RESUME_UNSUPPORTED', `run ${record.id} already completed`, 'nothing to resume; `yardstick runs show` prints it');
  const settings = record.config as EvalRunSettings;
  const suite = await loadSuite({ path: null, overrides: settings.suite, baseDir: settings.baseDir });
  return { suite, settings, record };
}

/** `yardstick eval`: run an acceptance suite against one or more targets; accuracy with intervals and the efficiency of the same requests. */
export function registerEval(program: Command, globals: () => GlobalOptions): void {
  program
    .command('eval [suite]')
    .description('evaluate targets on a suite of cases: scores, accuracy metrics with intervals, latency and cost of the same requests, repeatability, thresholds')
    .option('--target <name>', 'run only this target of the suite (its name, model or position)')
    .option('--limit <n>', 'only the first N cases (after --sample)')
    .option('--sample <n>', 'a seeded random sample of N cases')
    .option('--seed <n>', 'seed for --sample (default the suite\'s run.seed)')
    .option('--stratify <key>', "sample proportionally within strata: 'tag', 'label' or a column name")
    .option('--repeats <n>', 'answer every case N times and report repeatability')
    .option('--concurrency <n>', 'requests in flight at once (default run.concurrency, 4)')
    .option('--rate <perS>', 'start at most this many requests per second')
    .option('--no-cache', 'send every request even when a cached answer exists')
    .option('--threshold <expr>', "acceptance rule added to the suite's, e.g. 'accuracy >= 0.9', 'p95(latency) < 800ms' (repeatable; failing exits 3)", collect, [])
    .option('--resume <id>', 'continue an interrupted or crashed eval run: only its missing cases are sent')
    .option('--json', 'print only the JSON summary (an array when the suite has several targets)')
    .option('--junit <file>', 'also write JUnit XML, one testcase per case (for CI)')
    .addHelpText(
      'after',
      `
Examples:
  yardstick eval examples/eval/sentiment.yaml
  yardstick eval suite.yaml --sample 200 --stratify label --threshold 'lower(accuracy) >= 0.8'
  yardstick eval suite.yaml --repeats 5 --json > result.json
  yardstick eval --resume 20261128-101500-ab12`,
    )
    .action(async (suitePath: string | undefined, flags: EvalFlags) => {
      if (suitePath === undefined && flags.resume === undefined) throw usageError('FLAG_INVALID', 'give a suite file, or --resume ID', 'e.g. yardstick eval examples/eval/sentiment.yaml');
      if (suitePath !== undefined && flags.resume !== undefined) throw usageError('FLAG_INVALID', '--resume continues a stored run with its own suite; leave out the suite file', `yardstick eval --resume ${flags.resume}`);
      const store = openStore(globals().store);
      const progress = new ProgressLine(process.stderr);
      const showProgress = flags.json !== true && progress.enabled;
      const interrupt = abortOnInterrupt(() => {
        progress.clear();
        process.stderr.write('interrupting: saving the cases answered so far (resume with --resume ID; Ctrl-C again to quit at once)\n');
      });
      try {
        const plans: { suite: LoadedSuite; settings: EvalRunSettings; resume: ReturnType<Store['getRun']> }[] = [];
        if (flags.resume !== undefined) {
          const resumed = await resumeSettings(store, flags.resume);
          plans.push({ suite: resumed.suite, settings: resumed.settings, resume: resumed.record });
        } else {
          const suite = await loadSuite({ path: suitePath ?? null, overrides: {}, extraThresholds: flags.threshold });
          for (const index of targetIndices(suite, flags.target)) plans.push({ suite, settings: settingsFrom(suite, flags, index), resume: null });
        }
        const summaries: EvalJson[] = [];
        const junit: string[] = [];
        for (const plan of plans) {
          const { summary, results } = await runEval({
            suite: plan.suite,
            settings: plan.settings,
            store,
            signal: interrupt.signal,
            resume: plan.resume,
            onStart: (runId, remaining) => {
              if (flags.json !== true) process.stderr.write(`run ${runId} started: ${remaining} requests to answer\n`);
            },
            onProgress: showProgress ? (p) => progress.update(evalProgressLine(p)) : undefined,
          });
          progress.clear();
          summaries.push(summary);
          if (flags.junit !== undefined) junit.push(renderJunit(summary, results));
          if (flags.json !== true) process.stdout.write(`${renderEval(summary)}\n${plans.length > 1 ? '\n' : ''}`);
          if (interrupt.signal.aborted) break;
        }
        if (flags.junit !== undefined) writeFileSync(flags.junit, junit.length === 1 ? (junit[0] ?? '') : mergeJunit(junit));
        if (flags.json === true) printJson(summaries.length === 1 ? summaries[0] : summaries);
        if (summaries.some((s) => s.status === 'interrupted')) process.exitCode = ExitCode.interrupted;
        else if (summaries.some((s) => s.thresholds.some((t) => !t.pass))) process.exitCode = ExitCode.thresholdsFailed;
      } finally {
        interrupt.dispose();
        store.close();
      }
    });
}

/** Several runs' JUnit documents as one `<testsuites>`. */
function mergeJunit(documents: readonly string[]): string {
  const suites = documents.map((d) => /<testsuite [\s\S]*<\/testsuite>/.exec(d)?.[0] ?? '').join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="yardstick eval">\n${suites}\n</testsuites>\n`;
}

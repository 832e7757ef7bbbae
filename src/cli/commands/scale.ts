import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { parseEnvEntries } from '../../jobs/command-template.js';
import type { ScaleJson } from '../../jobs/scale-json.js';
import { renderScale } from '../../report/console-scale.js';
import { loadScaleConfig } from '../../runs/scale-config.js';
import { runScale } from '../../runs/scale-run.js';
import { parseReplicaRuns, scaleFromBenchRuns, type BenchThroughput } from '../../runs/scale-from-bench.js';
import type { Store } from '../../store/store.js';
import { openStore } from '../../store/open-store.js';
import { abortOnInterrupt } from '../interrupt.js';
import { collect, numberOr } from '../flags.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';

interface ScaleFlags {
  config?: string;
  workers?: string;
  repeats?: string;
  env: string[];
  weak?: boolean;
  efficiencyBound?: string;
  progress?: string;
  throughput?: string;
  interval?: string;
  pause?: string;
  showOutput?: boolean;
  benchRuns?: string;
  benchThroughput: string;
  json?: boolean;
}

const BENCH_THROUGHPUTS: readonly BenchThroughput[] = ['requests', 'output-tokens', 'goodput'];

function benchThroughput(text: string): BenchThroughput {
  const found = BENCH_THROUGHPUTS.find((t) => t === text);
  if (found === undefined)
    throw usageError(
      'FLAG_INVALID',
      `--bench-throughput '${text}' is not one of ${BENCH_THROUGHPUTS.join(', ')}`,
      'e.g. --bench-throughput requests',
    );
  return found;
}

/** `--bench-runs`: the study of replicas from stored bench runs, printed; nothing is run. */
async function scaleReplicas(store: Store, flags: ScaleFlags, command: readonly string[]): Promise<void> {
  if (command.length > 0 || flags.config !== undefined || flags.weak === true)
    throw usageError(
      'FLAG_INVALID',
      '--bench-runs studies stored bench runs: it takes no command, --config or --weak',
      'e.g. yardstick scale --bench-runs 1=RUN_A,2=RUN_B,4=RUN_C',
    );
  const bound = flags.efficiencyBound === undefined ? 0.5 : Number(flags.efficiencyBound);
  if (!(bound > 0 && bound < 1))
    throw usageError(
      'FLAG_INVALID',
      `--efficiency-bound '${flags.efficiencyBound ?? ''}' is not between 0 and 1`,
      'e.g. 0.5',
    );
  const summary = await scaleFromBenchRuns(store, parseReplicaRuns(flags.benchRuns ?? ''), {
    by: benchThroughput(flags.benchThroughput),
    efficiencyBound: bound,
  });
  if (flags.json === true) printJson(summary);
  else process.stdout.write(`${renderScale(summary)}\n`);
  if (summary.failures > 0) process.exitCode = ExitCode.thresholdsFailed;
}

/** The flags given, as the config fields they set (a flag left out leaves the file's value). */
function overridesOf(command: readonly string[], flags: ScaleFlags): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  if (command.length > 0) overrides.command = [...command];
  if (flags.workers !== undefined) overrides.workers = flags.workers.split(',').map(numberOr);
  if (flags.repeats !== undefined) overrides.repeats = numberOr(flags.repeats);
  if (flags.env.length > 0) overrides.env = parseEnvEntries(flags.env);
  if (flags.weak === true) overrides.weak = true;
  if (flags.efficiencyBound !== undefined) overrides.efficiencyBound = numberOr(flags.efficiencyBound);
  if (flags.progress !== undefined) overrides.progress = flags.progress;
  if (flags.throughput !== undefined) overrides.throughput = flags.throughput;
  if (flags.interval !== undefined) overrides.interval = flags.interval;
  if (flags.pause !== undefined) overrides.pause = flags.pause;
  return overrides;
}

/** `yardstick scale --workers 1,2,4 -- CMD`: the command at each worker count, its speedup and the law it follows. */
export function registerScale(program: Command, globals: () => GlobalOptions): void {
  program
    .command('scale')
    .argument('[command...]', 'the command to run at each worker count, after --')
    .description(
      'run a command at several worker counts ({{workers}} in its arguments or --env), repeated, and report time and throughput per count with intervals, speedup, parallel efficiency, the fitted Amdahl (or, --weak, Gustafson) serial fraction with its interval, the knee and predicted speedups',
    )
    .option('--config <file>', 'a YAML scaling study (command, workers, env, repeats, …); flags override its fields')
    .option('--workers <list>', 'worker counts, e.g. 1,2,4,8')
    .option('--repeats <n>', 'executions per count (default 3)')
    .option('--env <NAME=VALUE>', 'a variable for the job, e.g. WORLD_SIZE={{workers}} (repeatable)', collect, [])
    .option('--weak', 'weak scaling: the problem grows with the workers ({{size}} = n); fitted with Gustafson’s law')
    .option('--efficiency-bound <share>', 'the knee is the first count with efficiency below this (default 0.5)')
    .option('--progress <regex>', "read progress from the job's output, as `yardstick profile --progress`")
    .option('--throughput <name>', 'measure by the rate of this --progress group instead of the wall time')
    .option('--interval <duration>', "how often each job's process tree is looked at (default 1s)")
    .option('--pause <duration>', 'pause between executions (default 0s)')
    .option('--show-output', "pass the jobs' output on to stderr")
    .option(
      '--bench-runs <list>',
      'instead of a command: stored bench runs at replica counts, e.g. 1=RUN_A,2=RUN_B,4=RUN_C (a sweep counts by its best step; bench --repeats gives repeats)',
    )
    .option('--bench-throughput <kind>', 'with --bench-runs: requests, output-tokens or goodput', 'requests')
    .option('--json', 'print only the JSON study on stdout')
    .addHelpText(
      'after',
      `
Each execution is a job-profile run of its own; the study is a run of kind scale. yardstick exits 0 when every
execution succeeded, 3 when some were left out (a failed job, a rate its output did not give), 2 on bad input.

Examples:
  yardstick scale --workers 1,2,4,8 --env WORLD_SIZE={{workers}} -- python train.py --steps 200
  yardstick scale --workers 1,2,4 -- torchrun --nproc-per-node {{workers}} train.py
  yardstick scale --weak --workers 1,2,4 --env SAMPLES={{size}}000 --env THREADS={{workers}} -- ./batch-job
  yardstick scale --progress 'samples (?<samples>\\d+)' --throughput samples --workers 1,2,4 -- ./train.sh {{workers}}
  yardstick scale --config scale.yaml
  yardstick scale --bench-runs 1=RUN_A,2=RUN_B,4=RUN_C      # replicas behind a load balancer, one sweep each`,
    )
    .action(async (command: string[], flags: ScaleFlags) => {
      if (flags.benchRuns !== undefined) {
        const store = openStore(globals().store);
        try {
          await scaleReplicas(store, flags, command);
        } finally {
          await store.close();
        }
        return;
      }
      const config = loadScaleConfig(flags.config ?? null, overridesOf(command, flags));
      const store = openStore(globals().store);
      const interrupt = abortOnInterrupt(() =>
        process.stderr.write('interrupting: passing SIGINT to the job; the study ends after it\n'),
      );
      const quiet = flags.json === true;
      try {
        const summary: ScaleJson = await runScale({
          store,
          config,
          signal: interrupt.signal,
          ...(flags.showOutput === true ? { onLine: (line: string) => void process.stderr.write(`${line}\n`) } : {}),
          onStarted: (runId) => {
            if (!quiet) process.stderr.write(`run ${runId} started\n`);
          },
          onExecution: (e, done, of) => {
            if (quiet) return;
            const what =
              e.role === 'reference'
                ? `1 worker at size ${e.size} (reference)`
                : `${e.workers} worker${e.workers === 1 ? '' : 's'}`;
            const result = e.failure === null ? `${e.wallS.toFixed(2)} s` : `left out: ${e.failure}`;
            process.stderr.write(`[${done}/${of}] repeat ${e.repeat}, ${what}: ${result}\n`);
          },
        });
        if (quiet) printJson(summary);
        else process.stdout.write(`${renderScale(summary)}\n`);
        if (interrupt.signal.aborted) process.exitCode = ExitCode.interrupted;
        else if (summary.failures > 0) process.exitCode = ExitCode.thresholdsFailed;
      } finally {
        interrupt.dispose();
        await store.close();
      }
    });
}

import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { parseDurationMs } from '../../core/units.js';
import { parseEnvEntries } from '../../jobs/command-template.js';
import { progressPattern } from '../../jobs/progress-pattern.js';
import { loadJobProfileConfig } from '../../runs/job-profile-config.js';
import { renderJobProfile } from '../../report/console-job-profile.js';
import { runJobProfile } from '../../runs/job-profile-run.js';
import { openStore } from '../../store/open-store.js';
import { abortOnInterrupt } from '../interrupt.js';
import { collect } from '../flags.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';

interface ProfileFlags {
  config?: string;
  progress?: string;
  interval?: string;
  env: string[];
  quiet?: boolean;
  json?: boolean;
}

/** `yardstick profile -- CMD [ARGS…]`: run a command and record its resource use and progress as a run. */
export function registerProfileJob(program: Command, globals: () => GlobalOptions): void {
  program
    .command('profile')
    .argument('[command...]', 'the command to run, after --')
    .description(
      "run a command (a training script, a server, a batch job) and record, as a run, its process tree's CPU and memory over time, GPU and CPU energy where readable, idle stretches, and the progress its output reports",
    )
    .option(
      '--progress <regex>',
      "read progress from the job's output lines with named groups, e.g. 'step (?<step>\\d+) .*loss (?<loss>[\\d.]+)'",
    )
    .option('--interval <duration>', 'how often the process tree is looked at (default 1s)')
    .option('--env <NAME=VALUE>', 'a variable for the job (repeatable)', collect, [])
    .option('--config <file>', 'a YAML profile (command, env, progress, interval); flags override its fields')
    .option('--quiet', "do not pass the job's output on to stderr")
    .option('--json', 'print only the JSON profile on stdout')
    .addHelpText(
      'after',
      `
The job's own output goes to stderr as it comes (--quiet to keep it out); yardstick exits 0 when the job exited 0,
3 when it failed (its exit code is in the profile), 2 when it cannot be started.

Examples:
  yardstick profile -- python train.py --epochs 3
  yardstick profile --progress 'step (?<step>\\d+) .*loss (?<loss>[\\d.]+)' --interval 500ms -- python train.py
  yardstick profile --json -- llama-server -m model.gguf --port 8080
  yardstick profile --config job.yaml`,
    )
    .action(async (command: string[], flags: ProfileFlags) => {
      if (flags.interval !== undefined) {
        const intervalMs = parseDurationMs(flags.interval);
        if (intervalMs === null || intervalMs < 50)
          throw usageError(
            'FLAG_INVALID',
            `--interval '${flags.interval}' is not a duration of 50 ms or more`,
            'e.g. --interval 1s',
          );
      }
      if (command.length === 0 && flags.config === undefined)
        throw usageError('COMMAND_MISSING', 'no command to run', 'e.g. yardstick profile -- python train.py');
      const config = loadJobProfileConfig(flags.config ?? null, {
        ...(command.length > 0 ? { command } : {}),
        ...(flags.env.length > 0 ? { env: parseEnvEntries(flags.env) } : {}),
        ...(flags.progress === undefined ? {} : { progress: flags.progress }),
        ...(flags.interval === undefined ? {} : { interval: flags.interval }),
      });
      const progress = config.progress === undefined ? null : progressPattern(config.progress);
      const store = openStore(globals().store);
      const interrupt = abortOnInterrupt(() => process.stderr.write('interrupting: passing SIGINT to the job\n'));
      try {
        const profile = await runJobProfile({
          store,
          command: config.command,
          ...(Object.keys(config.env).length === 0 ? {} : { env: config.env }),
          sampleIntervalMs: config.interval,
          progress,
          signal: interrupt.signal,
          ...(flags.quiet === true ? {} : { onLine: (line: string) => void process.stderr.write(`${line}\n`) }),
          onStarted: (runId) => {
            if (flags.json !== true) process.stderr.write(`run ${runId} started\n`);
          },
        });
        if (flags.json === true) printJson(profile);
        else process.stdout.write(`${renderJobProfile(profile)}\n`);
        if (interrupt.signal.aborted) process.exitCode = ExitCode.interrupted;
        else if (profile.exitCode !== 0) process.exitCode = ExitCode.thresholdsFailed;
      } finally {
        interrupt.dispose();
        await store.close();
      }
    });
}

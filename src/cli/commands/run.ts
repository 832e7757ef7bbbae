import type { Command } from 'commander';
import { loadRunConfig } from '../../runs/load-run-config.js';
import { ExitCode } from '../../core/exit-codes.js';
import { renderProfile } from '../../report/console-profile.js';
import { evalProgressLine } from '../../report/console-eval.js';
import { progressLine, ProgressLine } from '../../report/progress.js';
import type { ProfileJson } from '../../runs/profile-json.js';
import { runProfile } from '../../runs/profile-run.js';
import { reportedRun } from '../../run-kinds/registry.js';
import { onReferenceModelProgress, stopReferenceServers } from '../../serve/shared-servers.js';
import { defaultReportDir, openStore } from '../../store/open-store.js';
import { abortOnInterrupt } from '../interrupt.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';

export interface RunCommandFlags {
  json?: boolean;
}

/** Runs a run config with progress on stderr and the profile report (or JSON) on stdout; sets the exit code. */
export async function executeRunConfig(
  path: string,
  flags: RunCommandFlags,
  globals: GlobalOptions,
  before?: (line: (text: string) => void) => void,
): Promise<ProfileJson> {
  const loaded = loadRunConfig(path);
  const store = openStore(globals.store);
  const quiet = flags.json === true;
  const line = (text: string): void => {
    if (!quiet) process.stderr.write(`${text}\n`);
  };
  onReferenceModelProgress(line);
  const progress = new ProgressLine(process.stderr);
  const showProgress = !quiet && progress.enabled;
  const interrupt = abortOnInterrupt(() => {
    progress.clear();
    process.stderr.write('interrupting: saving what was measured so far (Ctrl-C again to quit at once)\n');
  });
  try {
    before?.(line);
    const { summary } = await runProfile({
      loaded,
      store,
      signal: interrupt.signal,
      onLine: (text) => {
        progress.clear();
        line(text);
      },
      onEvalProgress: showProgress ? (p) => progress.update(evalProgressLine(p)) : undefined,
      onBenchProgress: showProgress ? (p) => progress.update(progressLine(p)) : undefined,
    });
    progress.clear();
    const record = await store.getRun(summary.runId);
    // The charting libraries load only when a report is written, not with every command.
    const { writeReport } = await import('../../report/html/write-report.js');
    const reportPath =
      record === null
        ? null
        : writeReport(defaultReportDir(globals.store, summary.runId), [await reportedRun(record, store)]);
    if (quiet) printJson(summary);
    else
      process.stdout.write(`${renderProfile(summary)}\n${reportPath === null ? '' : `\nHTML report: ${reportPath}\n`}`);
    if (summary.status === 'interrupted') process.exitCode = ExitCode.interrupted;
    else if (summary.targetsFailed > 0) process.exitCode = ExitCode.targetUnreachable;
    else if (summary.thresholdsFailed > 0) process.exitCode = ExitCode.thresholdsFailed;
    return summary;
  } finally {
    interrupt.dispose();
    await store.close();
    await stopReferenceServers();
  }
}

/** `yardstick run CONFIG`: targets × eval suites × load profiles from one config, and the tradeoff between the targets. */
export function registerRun(program: Command, globals: () => GlobalOptions): void {
  program
    .command('run <config>')
    .description(
      'run what a config declares — each eval suite and load profile against each of its targets — storing one run per pair and a profile run over them, with the accuracy/efficiency tradeoff',
    )
    .option('--json', 'print only the profile summary as JSON')
    .addHelpText(
      'after',
      `
Examples:
  yardstick run examples/demo/yardstick.yaml
  yardstick run my-profile.yaml --json > profile.json
  yardstick runs show <profile run id>`,
    )
    .action(async (path: string, flags: RunCommandFlags) => {
      await executeRunConfig(path, flags, globals());
    });
}

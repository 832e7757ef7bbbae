import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadBenchConfig } from '../../config/load-config.js';
import { ExitCode } from '../../core/exit-codes.js';
import { formatMs } from '../../core/units.js';
import { renderBench } from '../../report/console-bench.js';
import { progressLine, ProgressLine } from '../../report/progress.js';
import { runBench } from '../../runs/bench-run.js';
import { spawnSimulator } from '../../simulator/spawn.js';
import { openStore } from '../../store/open-store.js';
import { abortOnInterrupt } from '../interrupt.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';

const DEMO_CONFIG = fileURLToPath(new URL('../../../examples/demo/bench.yaml', import.meta.url));
const SCHEDULE = { ttftMs: 50, itlMs: 10 };

/** `yardstick demo`: the whole bench job offline, against a local simulated model server with known timing. */
export function registerDemo(program: Command, globals: () => GlobalOptions): void {
  program
    .command('demo')
    .description('run the offline demo: start a simulated model server with known timing and sweep it with load, then compare what was measured with the known schedule')
    .option('--json', 'print only the JSON summary')
    .action(async (flags: { json?: boolean }) => {
      const sim = await spawnSimulator(['--ttft', `${SCHEDULE.ttftMs}ms`, '--itl', `${SCHEDULE.itlMs}ms`]);
      const store = openStore(globals().store);
      const progress = new ProgressLine(process.stderr);
      const interrupt = abortOnInterrupt(() => progress.clear());
      try {
        const loaded = loadBenchConfig({ path: DEMO_CONFIG, overrides: { target: { baseUrl: sim.baseUrl } } });
        if (flags.json !== true) process.stderr.write(`simulated model server at ${sim.baseUrl} (pid ${sim.pid}): first token after ${SCHEDULE.ttftMs} ms, then one every ${SCHEDULE.itlMs} ms\nconfig ${DEMO_CONFIG}\n`);
        const { summary } = await runBench({
          loaded,
          store,
          signal: interrupt.signal,
          targetPid: sim.pid,
          onProgress: flags.json !== true && progress.enabled ? (p) => progress.update(progressLine(p)) : undefined,
        });
        progress.clear();
        if (flags.json === true) {
          printJson(summary);
        } else {
          process.stdout.write(`${renderBench(summary)}\n`);
          const sync = summary.steps[0];
          process.stdout.write(
            `\ncheck against the known schedule (synchronous step): ttft p50 ${formatMs(sync?.latencyMs.ttft?.p50)} (schedule ${SCHEDULE.ttftMs} ms), ` +
              `itl p50 ${formatMs(sync?.latencyMs.itl?.p50)} (schedule ${SCHEDULE.itlMs} ms)\n` +
              `stored as run ${summary.runId}: \`yardstick runs show ${summary.runId}\`, \`yardstick runs export ${summary.runId} --format csv\`\n`,
          );
        }
        if (summary.status === 'interrupted') process.exitCode = ExitCode.interrupted;
        else if (summary.thresholds.some((t) => !t.pass)) process.exitCode = ExitCode.thresholdsFailed;
      } finally {
        interrupt.dispose();
        store.close();
        await sim.stop();
      }
    });
}

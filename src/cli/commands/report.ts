import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { usageError } from '../../core/errors.js';
import { reportedRun } from '../../run-kinds/registry.js';
import type { StoredRun } from '../../store/run-record.js';
import type { Store } from '../../store/store.js';
import { defaultReportDir, openStore } from '../../store/open-store.js';
import type { GlobalOptions } from '../global-options.js';

async function requireRun(store: Store, id: string): Promise<StoredRun> {
  const record = await store.getRun(id);
  if (record === null)
    throw usageError(
      'RUN_NOT_FOUND',
      `no run with id '${id}' in the store`,
      'list runs with `yardstick runs list` (and check --store)',
    );
  return record;
}

interface ReportFlags {
  output?: string;
  compare?: string[];
  trend?: string;
  target?: string;
  last: string;
}

/** `yardstick report --trend SUITE`: the suite's metrics over time, written beside the store unless -o says where. */
async function trendReport(
  suite: string,
  runs: readonly string[],
  flags: ReportFlags,
  globals: GlobalOptions,
): Promise<void> {
  const last = Number(flags.last);
  if (runs.length > 0 || flags.compare !== undefined || !Number.isInteger(last) || last < 1)
    throw usageError(
      'FLAG_INVALID',
      runs.length > 0 || flags.compare !== undefined
        ? '--trend takes a suite name, not run ids or --compare'
        : `--last '${flags.last}' is not a positive integer`,
      'e.g. yardstick report --trend qa-smoke --last 30',
    );
  const { evalTrend } = await import('../../eval/eval-trend.js');
  const { renderTrendReport } = await import('../../report/html/trend-section.js');
  const store = openStore(globals.store);
  try {
    const trend = await evalTrend(
      store,
      { suite, target: flags.target ?? null },
      { limit: last, alpha: 0.05, resamples: 2000, seed: 1 },
    );
    if (trend.series.length === 0)
      throw usageError(
        'RUN_NOT_FOUND',
        `no completed eval run of suite '${suite}'${flags.target === undefined ? '' : ` against ${flags.target}`} in the store`,
        "the suite name is the one `yardstick runs list --kind eval` shows (the suite file's name:)",
      );
    const dir = resolve(flags.output ?? defaultReportDir(globals.store, `trend-${suite}`));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'report.html');
    writeFileSync(path, renderTrendReport(trend, { suite, target: flags.target ?? null, last }));
    process.stdout.write(`${path}\n`);
  } finally {
    await store.close();
  }
}

/** `yardstick report`: a self-contained HTML report of stored runs. */
export function registerReport(program: Command, globals: () => GlobalOptions): void {
  program
    .command('report [runs...]')
    .description(
      'write a self-contained HTML report (inline SVG charts, no script, printable) of stored runs: a profile run brings its child runs; --compare A B puts two eval runs side by side with paired tests',
    )
    .option(
      '-o, --output <dir>',
      'folder for report.html (default beside the store: reports/RUN_ID, reports/A+B for several runs, reports/compare-A-B)',
    )
    .option(
      '--compare <runs...>',
      'two runs to compare (A then B) as `yardstick compare` does: eval runs with paired tests, bench runs with bootstrap intervals of their latency statistics, repeated benches over their repeats',
    )
    .option(
      '--trend <suite>',
      "a suite's metrics over its stored runs (a canary's), with intervals and the significant changes between consecutive runs",
    )
    .option('--target <name>', 'with --trend: only the runs against this target')
    .option('--last <n>', 'with --trend: the last n runs of each target', '50')
    .addHelpText(
      'after',
      `
Examples:
  yardstick report 20261128-045634-681e                    # a profile run from \`yardstick run\` or the demo
  yardstick report A B C -o reports/latest
  yardstick report --compare 20261128-101500-ab12 20261128-103000-cd34 -o reports/compare
  yardstick report --trend qa-smoke --target prod-llm --last 30 -o reports/trend`,
    )
    .action(async (runs: string[], flags: ReportFlags) => {
      if (flags.trend !== undefined) {
        await trendReport(flags.trend, runs, flags, globals());
        return;
      }
      if (flags.target !== undefined)
        throw usageError(
          'FLAG_INVALID',
          '--target goes with --trend',
          'e.g. yardstick report --trend SUITE --target NAME',
        );
      if (flags.compare !== undefined && flags.compare.length !== 2)
        throw usageError(
          'FLAG_INVALID',
          `--compare takes two runs, A and B (got ${flags.compare.length})`,
          'e.g. yardstick report --compare RUN_A RUN_B',
        );
      const ids = [...new Set([...(flags.compare ?? []), ...runs])];
      if (ids.length === 0)
        throw usageError(
          'FLAG_INVALID',
          'give one or more run ids, or --compare A B',
          'list runs with `yardstick runs list`',
        );
      // The charting libraries load only for this command, not with every command.
      const { writeReport } = await import('../../report/html/write-report.js');
      const { comparisonOf } = await import('../../report/html/report-comparison.js');
      const store = openStore(globals().store);
      try {
        const records: StoredRun[] = [];
        for (const id of ids) records.push(await requireRun(store, id));
        const [a = '', b = ''] = flags.compare ?? [];
        const compare = flags.compare === undefined ? null : await comparisonOf(store, a, b, '--compare');
        // Each set of runs gets its own default folder, so a comparison never overwrites the report of one of its runs.
        const name = flags.compare !== undefined ? `compare-${ids.slice(0, 2).join('-')}` : ids.join('+');
        const reported = await Promise.all(records.map((record) => reportedRun(record, store)));
        const path = writeReport(flags.output ?? defaultReportDir(globals().store, name), reported, compare);
        process.stdout.write(`${path}\n`);
      } finally {
        await store.close();
      }
    });
}

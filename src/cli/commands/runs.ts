import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { benchCsv } from '../../report/bench-csv.js';
import type { BenchJson } from '../../efficiency/bench-json.js';
import { renderBench } from '../../report/console-bench.js';
import { casesCsv } from '../../report/cases-csv.js';
import { renderEval } from '../../report/console-eval.js';
import type { CaseResult } from '../../eval/case-result.js';
import type { EvalJson } from '../../eval/eval-summary.js';
import { renderTable } from '../../report/table.js';
import { openStore } from '../../store/open-store.js';
import type { RunRecord } from '../../store/run-record.js';
import type { Store } from '../../store/store.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';
import type { DriftJson } from '../../drift/run-drift.js';
import type { DataCheckJson } from '../../quality/run-data-check.js';
import { renderDrift } from '../../report/console-drift.js';
import { renderProfile } from '../../report/console-profile.js';
import { renderBaseline } from '../../report/console-baseline.js';
import type { BaselineJson } from '../../runs/baseline-run.js';
import type { ProfileJson } from '../../runs/profile-json.js';
import { renderDataCheck } from '../../report/console-data-check.js';

function requireRun(store: Store, id: string): RunRecord {
  const record = store.getRun(id);
  if (record === null)
    throw usageError(
      'RUN_NOT_FOUND',
      `no run with id '${id}' in the store`,
      'list the runs with `yardstick runs list` (and check --store)',
    );
  return record;
}

function withStore<T>(globals: () => GlobalOptions, use: (store: Store) => T): T {
  const store = openStore(globals().store);
  try {
    return use(store);
  } finally {
    store.close();
  }
}

function benchSummaryOf(record: RunRecord): BenchJson | null {
  return record.kind === 'bench' && record.summary !== null ? (record.summary as BenchJson) : null;
}

/** `yardstick runs list|show|export`: read what earlier runs stored. */
export function registerRuns(program: Command, globals: () => GlobalOptions): void {
  const runs = program.command('runs').description('list, show and export stored runs');

  runs
    .command('list')
    .description('list stored runs, newest first')
    .option('--limit <n>', 'how many', '20')
    .option('--kind <kind>', 'only runs of this kind (e.g. bench)')
    .option('--json', 'print JSON')
    .action((flags: { limit: string; kind?: string; json?: boolean }) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit <= 0)
        throw usageError('FLAG_INVALID', `--limit '${flags.limit}' is not a positive integer`, 'e.g. --limit 50');
      withStore(globals, (store) => {
        const list = store.listRuns({ limit, kind: flags.kind });
        if (flags.json === true) return printJson(list);
        if (list.length === 0)
          return void process.stdout.write('no runs stored yet; `yardstick bench --help` shows how to make one\n');
        process.stdout.write(
          `${renderTable(
            ['id', 'kind', 'status', 'created', 'target'],
            list.map((r) => [r.id, r.kind, r.status, r.createdAt, r.targetName]),
          )}\n`,
        );
      });
    });

  runs
    .command('show <id>')
    .description('show one run (an id or a unique prefix of one)')
    .option('--json', 'print the whole run record as JSON')
    .action((id: string, flags: { json?: boolean }) => {
      withStore(globals, (store) => {
        const record = requireRun(store, id);
        if (flags.json === true) return printJson(record);
        const summary = benchSummaryOf(record);
        if (summary !== null) return void process.stdout.write(`${renderBench(summary)}\n`);
        if (record.kind === 'eval' && record.summary !== null)
          return void process.stdout.write(`${renderEval(record.summary as EvalJson)}\n`);
        if (record.kind === 'drift' && record.summary !== null)
          return void process.stdout.write(`${renderDrift(record.summary as DriftJson)}\n`);
        if (record.kind === 'data-check' && record.summary !== null)
          return void process.stdout.write(`${renderDataCheck(record.summary as DataCheckJson)}\n`);
        if (record.kind === 'baseline' && record.summary !== null)
          return void process.stdout.write(`${renderBaseline(record.summary as BaselineJson)}\n`);
        if (record.kind === 'profile' && record.status !== 'failed' && record.summary !== null)
          return void process.stdout.write(`${renderProfile(record.summary as ProfileJson)}\n`);
        process.stdout.write(
          `run ${record.id}: ${record.kind}, ${record.status}, started ${record.createdAt}${record.summary === null ? ', no summary (it did not finish)' : ''}\n`,
        );
      });
    });

  runs
    .command('export <id>')
    .description("export one run as JSON (the whole record) or CSV (one row per step); --cases: an eval run's cases")
    .option('--format <format>', 'json | csv', 'json')
    .option('--cases', 'eval runs: export every case (request, output, scores, latency, cost) instead of the record')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action((id: string, flags: { format: string; output?: string; cases?: boolean }) => {
      if (flags.format !== 'json' && flags.format !== 'csv')
        throw usageError('FLAG_INVALID', `unknown format '${flags.format}'`, 'use --format json or --format csv');
      withStore(globals, (store) => {
        const record = requireRun(store, id);
        let text: string;
        if (flags.cases === true) {
          if (record.kind !== 'eval')
            throw usageError(
              'EXPORT_UNSUPPORTED',
              `run ${record.id} is a ${record.kind} run; only eval runs have cases`,
              'leave out --cases',
            );
          const results = store.listCases(record.id).map((row) => row.result as CaseResult);
          text = flags.format === 'json' ? `${JSON.stringify(results, null, 2)}\n` : casesCsv(results);
        } else if (flags.format === 'json') text = `${JSON.stringify(record, null, 2)}\n`;
        else {
          const summary = benchSummaryOf(record);
          if (summary === null)
            throw usageError(
              'EXPORT_UNSUPPORTED',
              `run ${record.id} has no bench summary to export as CSV`,
              'export it as JSON instead',
            );
          text = benchCsv(summary);
        }
        if (flags.output === undefined) process.stdout.write(text);
        else writeFileSync(flags.output, text);
      });
    });
}

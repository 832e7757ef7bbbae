import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { renderTable } from '../../report/table.js';
import { RUN_KINDS, runKindOf, showRun } from '../../run-kinds/registry.js';
import type { StoredRun } from '../../store/run-record.js';
import type { Store } from '../../store/store.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';
import { withStore } from '../with-store.js';

async function requireRun(store: Store, id: string): Promise<StoredRun> {
  const record = await store.getRun(id);
  if (record === null)
    throw usageError(
      'RUN_NOT_FOUND',
      `no run with id '${id}' in the store`,
      'list the runs with `yardstick runs list` (and check --store)',
    );
  return record;
}

/** `yardstick runs list|show|export`: read what earlier runs stored. */
export function registerRuns(program: Command, globals: () => GlobalOptions): void {
  const runs = program.command('runs').description('list, show and export stored runs');

  runs
    .command('list')
    .description('list stored runs, newest first')
    .option('--limit <n>', 'how many', '20')
    .option('--kind <kind>', `only runs of this kind: ${RUN_KINDS.map((k) => k.kind).join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (flags: { limit: string; kind?: string; json?: boolean }) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit <= 0)
        throw usageError('FLAG_INVALID', `--limit '${flags.limit}' is not a positive integer`, 'e.g. --limit 50');
      await withStore(globals, async (store) => {
        const list = await store.listRuns({ limit, kind: flags.kind });
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
    .action(async (id: string, flags: { json?: boolean }) => {
      await withStore(globals, async (store) => {
        const record = await requireRun(store, id);
        if (flags.json === true) return printJson(record);
        process.stdout.write(`${showRun(record)}\n`);
      });
    });

  runs
    .command('export <id>')
    .description("export one run as JSON (the whole record) or CSV (one row per step); --cases: an eval run's cases")
    .option('--format <format>', 'json | csv', 'json')
    .option('--cases', 'eval runs: export every case (request, output, scores, latency, cost) instead of the record')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (id: string, flags: { format: string; output?: string; cases?: boolean }) => {
      if (flags.format !== 'json' && flags.format !== 'csv')
        throw usageError('FLAG_INVALID', `unknown format '${flags.format}'`, 'use --format json or --format csv');
      const format = flags.format;
      await withStore(globals, async (store) => {
        const record = await requireRun(store, id);
        const kind = runKindOf(record.kind);
        let text: string;
        if (flags.cases === true) {
          const cases = (await kind?.cases(record, store, format)) ?? null;
          if (cases === null)
            throw usageError(
              'EXPORT_UNSUPPORTED',
              `run ${record.id} is a ${record.kind} run; only eval runs have cases`,
              'leave out --cases',
            );
          text = cases;
        } else if (format === 'json') text = `${JSON.stringify(record, null, 2)}\n`;
        else {
          const csv = kind?.csv(record) ?? null;
          if (csv === null)
            throw usageError(
              'EXPORT_UNSUPPORTED',
              `run ${record.id} has no bench summary to export as CSV`,
              'export it as JSON instead',
            );
          text = csv;
        }
        if (flags.output === undefined) process.stdout.write(text);
        else writeFileSync(flags.output, text);
      });
    });
}

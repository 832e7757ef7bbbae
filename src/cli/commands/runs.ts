import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { messageOf, usageError } from '../../core/errors.js';
import { importRunBundle, runBundleLines } from '../../store/run-bundle.js';
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
    .command('export [ids...]')
    .description(
      "export a run as JSON (the whole record) or CSV (one row per step); --cases: an eval run's cases; --format runs: runs with their cases, for `runs import` into another store",
    )
    .option('--format <format>', 'json | csv | runs', 'json')
    .option('--cases', 'eval runs: export every case (request, output, scores, latency, cost) instead of the record')
    .option('--all', '--format runs: every run in the store')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  yardstick runs export RUN_ID --format csv
  yardstick runs export --all --format runs -o runs.jsonl          # then, elsewhere:
  yardstick --store postgres://me@db/yardstick runs import runs.jsonl`,
    )
    .action(async (ids: string[], flags: { format: string; output?: string; cases?: boolean; all?: boolean }) => {
      const format = flags.format;
      if (format !== 'json' && format !== 'csv' && format !== 'runs')
        throw usageError('FLAG_INVALID', `unknown format '${format}'`, 'use --format json, csv or runs');
      if (format === 'runs') {
        if ((ids.length === 0) === (flags.all !== true))
          throw usageError(
            'FLAG_INVALID',
            'name the runs to export, or --all',
            'e.g. yardstick runs export --all --format runs -o runs.jsonl',
          );
        await withStore(globals, async (store) => {
          const chosen =
            flags.all === true
              ? (await store.listRuns({ limit: Number.MAX_SAFE_INTEGER })).map((r) => r.id).reverse()
              : ids;
          const out = flags.output === undefined ? process.stdout : createWriteStream(flags.output);
          for await (const line of runBundleLines(store, chosen)) if (!out.write(line)) await once(out, 'drain');
          if (out !== process.stdout)
            await new Promise<void>((resolve, reject) =>
              out.end((error?: Error | null) => (error ? reject(error) : resolve())),
            );
        });
        return;
      }
      const [id, ...rest] = ids;
      if (id === undefined || rest.length > 0 || flags.all === true)
        throw usageError(
          'FLAG_INVALID',
          `--format ${format} exports one run`,
          'give one run id, or use --format runs for several',
        );
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

  runs
    .command('import <file>')
    .description(
      'add the runs and cases of a `runs export --format runs` file to this store (a run already here is replaced, a case kept)',
    )
    .action(async (path: string) => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        throw usageError(
          'FILE_UNREADABLE',
          `cannot read ${path}: ${messageOf(error)}`,
          'give the file `runs export --format runs` wrote',
        );
      }
      await withStore(globals, async (store) => {
        const result = await importRunBundle(store, text, path);
        process.stdout.write(
          `${result.runs} run${result.runs === 1 ? '' : 's'} imported, ${result.casesAdded} cases added, ${result.casesKept} already stored\n`,
        );
      });
    });
}

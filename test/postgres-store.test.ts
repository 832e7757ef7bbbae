import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/store/postgres.js';
import type { CaseRow } from '../src/store/run-record.js';
import { freshDir, runCli } from './helpers/cli.js';
import { dirWithPackage } from './helpers/package-dir.js';
import { postgresBinDir, startPostgres, type RunningPostgres } from './helpers/postgres.js';
import { sampleRecord, storeContract } from './helpers/store-contract.js';

const bin = postgresBinDir();
// CI installs Debian's postgresql (.ci/run) and must run these; elsewhere they run when the server is installed.
if (bin === null && process.env.CI === 'true')
  throw new Error('PostgreSQL is not installed: apt-get install postgresql (CI must run the PostgreSQL store tests)');

let server: RunningPostgres;

beforeAll(async () => {
  if (bin !== null) server = await startPostgres(bin);
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe.skipIf(bin === null)('PostgresStore, on a throwaway PostgreSQL cluster', () => {
  storeContract(async () => new PostgresStore(await server.freshDatabase()));

  it('numbers the cases of one run written by several writers at once, none lost and none twice', async () => {
    const url = await server.freshDatabase();
    const writers = [new PostgresStore(url), new PostgresStore(url), new PostgresStore(url)];
    // 3 writers × 20 batches of 10 cases drawn from 300 ids: many ids are written by more than one writer.
    const batches = writers.flatMap((store, w) =>
      Array.from({ length: 20 }, (_, b) => {
        const rows: CaseRow[] = Array.from({ length: 10 }, (_, i) => {
          const id = (w * 97 + b * 10 + i) % 300;
          return { caseId: `c${id}`, repeat: 0, result: { writer: w, id } };
        });
        return () => store.saveCases('shared', rows);
      }),
    );
    const added = await Promise.all(batches.map((write) => write()));
    const distinct = new Set(
      writers.flatMap((_, w) =>
        Array.from({ length: 20 }, (_, b) => Array.from({ length: 10 }, (_, i) => (w * 97 + b * 10 + i) % 300)).flat(),
      ),
    );
    const cases = await writers[0]?.listCases('shared');
    expect(added.reduce((a, b) => a + b, 0)).toBe(distinct.size);
    expect(cases).toHaveLength(distinct.size);
    expect(new Set(cases?.map((c) => c.caseId)).size).toBe(distinct.size);
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    const seqs = await raw.query(
      "SELECT COUNT(DISTINCT seq) AS n, MAX(seq) AS top FROM eval_cases WHERE run_id = 'shared'",
    );
    await raw.end();
    // Every case has its own number, 0 … n-1, in the order the writers' transactions committed.
    expect(seqs.rows[0]).toEqual({ n: String(distinct.size), top: distinct.size - 1 });
    await Promise.all(writers.map((w) => w.close()));
  });

  it('migrates once however many processes open it together, and refuses a store from a newer schema', async () => {
    const url = await server.freshDatabase();
    const stores = Array.from({ length: 4 }, () => new PostgresStore(url));
    await Promise.all(stores.map((s, i) => s.saveRun(sampleRecord({ id: `r${i}` }))));
    expect(await stores[0]?.listRuns({ limit: 10 })).toHaveLength(4);
    await Promise.all(stores.map((s) => s.close()));
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    expect((await raw.query('SELECT version FROM schema_migrations ORDER BY version')).rows).toEqual([
      { version: 1 },
      { version: 2 },
    ]);
    await raw.query("INSERT INTO schema_migrations VALUES (99, 'later')");
    await raw.end();
    const newer = new PostgresStore(url);
    await expect(newer.listRuns({ limit: 1 })).rejects.toThrow(/newer than this yardstick understands/);
    await newer.close();
  });

  it('keeps one history for every working folder that names it, never showing or storing the password', async () => {
    const database = await server.freshDatabase();
    const url = database.replace('yardstick@', 'yardstick:s3cret-pw@');
    const dir = dirWithPackage();
    writeFileSync(
      join(dir, 'echo.mjs'),
      "import { functionTarget } from 'yardstick/eval';\nexport function echo() {\n  return functionTarget({ name: 'echo', answer: (r) => (/yes/.test(r.prompt) ? 'yes' : 'no') });\n}\n",
    );
    writeFileSync(
      join(dir, 'suite.yaml'),
      [
        'name: yes-no',
        'cases:',
        '  - { id: a, q: "say yes", expected: "yes" }',
        '  - { id: b, q: "say no", expected: "no" }',
        '  - { id: c, q: "say yes please", expected: "no" }',
        'prompt: { text: "{{q}}" }',
        'targets: [{ kind: custom, module: echo.mjs, export: echo }]',
        'scorers: [{ type: equals }]',
        '',
      ].join('\n'),
    );
    const evaluated = await runCli(['--store', url, 'eval', 'suite.yaml', '--json'], { cwd: dir });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const runId = (JSON.parse(evaluated.stdout) as { runId: string }).runId;

    // Another folder, the URL from the environment: the same history.
    const elsewhere = freshDir();
    const env = { YARDSTICK_STORE: url };
    const listed = await runCli(['runs', 'list'], { cwd: elsewhere, env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(runId);
    const cases = await runCli(['runs', 'export', runId, '--cases', '--format', 'csv'], { cwd: elsewhere, env });
    expect(cases.stdout.trim().split('\n')).toHaveLength(4);
    const report = await runCli(['report', runId, '-o', 'out'], { cwd: elsewhere, env });
    expect(report.code, report.stderr).toBe(0);
    expect(readFileSync(join(elsewhere, 'out', 'report.html'), 'utf8')).toContain('yes-no');
    const record = await runCli(['runs', 'export', runId], { cwd: elsewhere, env });
    for (const output of [evaluated, listed, cases, report, record])
      expect(`${output.stdout}${output.stderr}`).not.toContain('s3cret-pw');
    expect(readFileSync(join(elsewhere, 'out', 'report.html'), 'utf8')).not.toContain('s3cret-pw');

    // Moving runs: every run of the server into a SQLite file, and back into a new database, cases and all.
    const bundle = await runCli(['runs', 'export', '--all', '--format', 'runs', '-o', 'runs.jsonl'], {
      cwd: elsewhere,
      env,
    });
    expect(bundle.code, bundle.stderr).toBe(0);
    const local = { YARDSTICK_STORE: join(elsewhere, 'local.db') };
    const intoFile = await runCli(['runs', 'import', 'runs.jsonl'], { cwd: elsewhere, env: local });
    expect(intoFile.stdout).toBe('1 run imported, 3 cases added, 0 already stored\n');
    const again = await runCli(['runs', 'import', 'runs.jsonl'], { cwd: elsewhere, env: local });
    expect(again.stdout).toBe('1 run imported, 0 cases added, 3 already stored\n');
    const fromFile = await runCli(['runs', 'export', runId, '--format', 'runs', '-o', 'back.jsonl'], {
      cwd: elsewhere,
      env: local,
    });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const other = { YARDSTICK_STORE: await server.freshDatabase() };
    expect((await runCli(['runs', 'import', 'back.jsonl'], { cwd: elsewhere, env: other })).code).toBe(0);
    const [shownThere, shownHere] = await Promise.all([
      runCli(['runs', 'export', runId, '--cases'], { cwd: elsewhere, env: other }),
      runCli(['runs', 'export', runId, '--cases'], { cwd: elsewhere, env }),
    ]);
    expect(shownThere.stdout).toBe(shownHere.stdout);
    expect(readFileSync(join(elsewhere, 'runs.jsonl'), 'utf8')).not.toContain('s3cret-pw');
    // A damaged bundle: each bad line named, nothing imported.
    writeFileSync(
      join(elsewhere, 'bad.jsonl'),
      `${readFileSync(join(elsewhere, 'back.jsonl'), 'utf8').split('\n')[0] ?? ''}\n{"run":{"id":"x"}}\n{"case":{"runId":"nope","caseId":"a","repeat":0,"result":1}}\n`,
    );
    const bad = await runCli(['runs', 'import', 'bad.jsonl'], { cwd: elsewhere, env: local });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.jsonl:2: run: is not a version 1 run record');
    expect(bad.stderr).toContain('bad.jsonl:3: case.runId: names run nope');

    // A server that is not there: exit 2, the URL shown without its password.
    const down = await runCli(['--store', 'postgres://me:s3cret-pw@127.0.0.1:1/none', 'runs', 'list'], {
      cwd: elsewhere,
    });
    expect(down.code).toBe(2);
    expect(down.stderr).toContain(
      'error[STORE_UNAVAILABLE]: cannot use the store at postgres://me:***@127.0.0.1:1/none',
    );
    expect(down.stderr).not.toContain('s3cret-pw');
  }, 60_000);
});

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { messageOf, usageError } from '../core/errors.js';
import { pendingMigrations } from './migrations/index.js';
import { parseStoredRun, storedStatus } from './parse-stored-run.js';
import type { CaseRow, RunListing, StoredRun } from './run-record.js';
import type { Store } from './store.js';

interface RunRow {
  id: string;
  kind: string;
  status: string;
  created_at: string;
  target_name: string;
  record_json: string;
}

/** The result of a synchronous SQLite call as a settled promise (its error as a rejection). */
function settled<T>(call: () => T): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

export interface SqliteOptions {
  /**
   * The most memory this connection's page cache may hold, in KiB. SQLite as better-sqlite3 builds it allows 16,000
   * KiB, which a store that keeps growing fills over hours; a long-running writer holds it smaller.
   */
  pageCacheKib?: number;
}

/** The default store: one SQLite file, created with its folder on first use and migrated to the latest schema. */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  /** Each statement is compiled once and kept: writes come every second for as long as a proxy runs. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly path: string,
    options: SqliteOptions = {},
  ) {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
    } catch (error) {
      throw usageError(
        'STORE_UNAVAILABLE',
        `cannot open the store at ${path}: ${messageOf(error)}`,
        'pass a writable path with --store or YARDSTICK_STORE',
      );
    }
    // Set first, so that processes opening a new file together wait for each other rather than fail.
    this.db.pragma('busy_timeout = 5000');
    if (options.pageCacheKib !== undefined) this.db.pragma(`cache_size = -${Math.floor(options.pageCacheKib)}`);
    this.useWal();
    this.migrate();
  }

  /** The most memory this connection's page cache may hold, in KiB. */
  pageCacheKib(): number {
    const size = Number(this.db.pragma('cache_size', { simple: true }));
    // SQLite reads a negative size as KiB and a positive one as pages.
    return size < 0 ? -size : (size * Number(this.db.pragma('page_size', { simple: true }))) / 1024;
  }

  /**
   * Puts the file in WAL mode. The mode is kept in the file, so after its first open there is nothing to change.
   * Changing it needs the file to itself, and SQLite does not wait for that (busy_timeout does not apply): a process
   * opening a new store while others do tries again, for up to 5 s.
   */
  private useWal(): void {
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        if (this.db.pragma('journal_mode', { simple: true }) === 'wal') return;
        // An in-memory store answers `memory`, and stays so.
        this.db.pragma('journal_mode = WAL');
        return;
      } catch (error) {
        if (!(error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY'))) throw error;
      }
      if (Date.now() > deadline)
        throw usageError(
          'STORE_UNAVAILABLE',
          `the store at ${this.path} stayed locked for 5 s: another process holds it`,
          'try again once the other yardstick is done with the store, or pass another --store',
        );
      sleepMs(10 + Math.random() * 20);
    }
  }

  /**
   * Brings the schema up to date in one write transaction, taken before the applied versions are read: processes
   * opening a new store together (several workers) migrate it once, the others waiting and then finding it done.
   */
  private migrate(): void {
    this.db
      .transaction(() => {
        this.db.exec(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
        );
        const applied = new Set(
          (this.db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
            (r) => r.version,
          ),
        );
        for (const migration of pendingMigrations(applied)) {
          this.db.exec(migration.sql);
          this.db
            .prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)')
            .run(migration.version, new Date().toISOString());
        }
      })
      .immediate();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  saveRun(record: StoredRun): Promise<void> {
    return settled(() => this.saveRunNow(record));
  }

  private saveRunNow(record: StoredRun): void {
    this.statement(
      `INSERT INTO runs (id, kind, status, created_at, ended_at, target_name, record_json) VALUES (@id, @kind, @status, @createdAt, @endedAt, @targetName, @json)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, ended_at = excluded.ended_at, record_json = excluded.record_json`,
    ).run({
      id: record.id,
      kind: record.kind,
      status: record.status,
      createdAt: record.createdAt,
      endedAt: record.endedAt,
      targetName: record.target.name,
      json: JSON.stringify(record),
    });
  }

  getRun(idOrPrefix: string): Promise<StoredRun | null> {
    return settled(() => this.getRunNow(idOrPrefix));
  }

  private getRunNow(idOrPrefix: string): StoredRun | null {
    const exact = this.statement('SELECT record_json FROM runs WHERE id = ?').get(idOrPrefix) as
      Pick<RunRow, 'record_json'> | undefined;
    if (exact !== undefined) return parseStoredRun(exact.record_json, idOrPrefix);
    const matches = this.statement("SELECT id, record_json FROM runs WHERE id LIKE ? ESCAPE '\\' LIMIT 2").all(
      `${idOrPrefix.replace(/[\\%_]/g, '\\$&')}%`,
    ) as RunRow[];
    if (matches.length > 1)
      throw usageError(
        'RUN_AMBIGUOUS',
        `more than one run starts with '${idOrPrefix}'`,
        'give more of the id (see `yardstick runs list`)',
      );
    const only = matches[0];
    return only === undefined ? null : parseStoredRun(only.record_json, only.id);
  }

  listRuns(options: { limit: number; kind?: string }): Promise<RunListing[]> {
    return settled(() => this.listRunsNow(options));
  }

  private listRunsNow(options: { limit: number; kind?: string }): RunListing[] {
    const rows = (
      options.kind === undefined
        ? this.statement(
            'SELECT id, kind, status, created_at, target_name FROM runs ORDER BY created_at DESC, id DESC LIMIT ?',
          ).all(options.limit)
        : this.statement(
            'SELECT id, kind, status, created_at, target_name FROM runs WHERE kind = ? ORDER BY created_at DESC, id DESC LIMIT ?',
          ).all(options.kind, options.limit)
    ) as RunRow[];
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: storedStatus(r.status, r.id),
      createdAt: r.created_at,
      targetName: r.target_name,
    }));
  }

  saveCases(runId: string, rows: readonly CaseRow[]): Promise<number> {
    return settled(() => this.saveCasesNow(runId, rows));
  }

  private saveCasesNow(runId: string, rows: readonly CaseRow[]): number {
    const next = this.statement('SELECT COALESCE(MAX(seq), -1) + 1 AS seq FROM eval_cases WHERE run_id = ?');
    const insert = this.statement(
      'INSERT OR IGNORE INTO eval_cases (run_id, case_id, repeat, seq, result_json) VALUES (?, ?, ?, ?, ?)',
    );
    return this.db.transaction(() => {
      let seq = (next.get(runId) as { seq: number }).seq;
      let added = 0;
      for (const row of rows) {
        const info = insert.run(runId, row.caseId, row.repeat, seq, JSON.stringify(row.result));
        if (info.changes > 0) {
          added += 1;
          seq += 1;
        }
      }
      return added;
    })();
  }

  listCases(runId: string): Promise<CaseRow[]> {
    return settled(() => this.listCasesNow(runId));
  }

  private listCasesNow(runId: string): CaseRow[] {
    const rows = this.statement(
      'SELECT case_id, repeat, result_json FROM eval_cases WHERE run_id = ? ORDER BY seq',
    ).all(runId) as { case_id: string; repeat: number; result_json: string }[];
    return rows.map((r) => ({ caseId: r.case_id, repeat: r.repeat, result: JSON.parse(r.result_json) as unknown }));
  }

  getCached(key: string): Promise<unknown> {
    return settled(() => this.getCachedNow(key));
  }

  private getCachedNow(key: string): unknown {
    const row = this.statement('SELECT value_json FROM response_cache WHERE key = ?').get(key) as
      { value_json: string } | undefined;
    return row === undefined ? null : (JSON.parse(row.value_json) as unknown);
  }

  putCached(key: string, value: unknown): Promise<void> {
    return settled(() => this.putCachedNow(key, value));
  }

  private putCachedNow(key: string, value: unknown): void {
    this.statement('INSERT OR REPLACE INTO response_cache (key, created_at, value_json) VALUES (?, ?, ?)').run(
      key,
      new Date().toISOString(),
      JSON.stringify(value),
    );
  }

  close(): Promise<void> {
    return settled(() => {
      this.db.close();
    });
  }
}

/** Waits on this thread: opening a store is synchronous, and a wait for another process's lock must be too. */
function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

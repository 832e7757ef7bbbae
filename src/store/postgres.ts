import pg from 'pg';
import { messageOf, usageError } from '../core/errors.js';
import { isJsonObject } from '../core/json-object.js';
import { pendingMigrations } from './migrations/index.js';
import { parseStoredRun, storedStatus } from './parse-stored-run.js';
import type { CaseRow, RunListing, StoredRun } from './run-record.js';
import { redactedStoreUrl } from './store-url.js';
import type { Store } from './store.js';

/** Connections one process keeps open to the server at most. */
const POOL_SIZE = 4;

/** One column of a row the server returned, as text; anything else is a damaged store. */
function textOf(row: unknown, column: string): string {
  const value = isJsonObject(row) ? row[column] : undefined;
  if (typeof value !== 'string')
    throw usageError(
      'STORE_DAMAGED',
      `a stored row has no text ${column}`,
      'the database was changed by something other than yardstick; point --store at a new database',
    );
  return value;
}

function numberOf(row: unknown, column: string): number {
  const value = isJsonObject(row) ? row[column] : undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw usageError(
      'STORE_DAMAGED',
      `a stored row has no number ${column}`,
      'the database was changed by something other than yardstick; point --store at a new database',
    );
  return n;
}

/**
 * A store on a PostgreSQL server that a team shares: the same tables and migrations as SQLite, safe for several
 * writers at once (a run's cases are numbered under a lock of that run; a case and repeat already saved is kept).
 * Connects on first use; the connection URL's password (or PGPASSWORD) is used to connect and never kept anywhere else.
 */
export class PostgresStore implements Store {
  private readonly pool: pg.Pool;
  private readonly ready: Promise<void>;
  private readonly shown: string;

  constructor(url: string) {
    this.shown = redactedStoreUrl(url);
    this.pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
    // A connection dropped while idle is reported at the next query; here it must not crash the process.
    this.pool.on('error', () => undefined);
    this.ready = this.migrate().catch((error: unknown) => {
      throw usageError(
        'STORE_UNAVAILABLE',
        `cannot use the store at ${this.shown}: ${messageOf(error)}`,
        'check the server is running and the URL (postgres://USER@HOST:PORT/DATABASE; the password from the URL or PGPASSWORD)',
      );
    });
    // The failure is reported by the first call that needs the store.
    this.ready.catch(() => undefined);
  }

  /** Applies the migrations not yet applied, one process at a time (a transaction-scoped advisory lock). */
  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtext('yardstick schema'))");
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
      );
      const applied = new Set(
        (await client.query('SELECT version FROM schema_migrations')).rows.map((r) => numberOf(r, 'version')),
      );
      for (const migration of pendingMigrations(applied)) {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
          migration.version,
          new Date().toISOString(),
        ]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** A query once the store is ready; its rows as values to be read column by column, never trusted as typed. */
  private async query(text: string, values: unknown[] = []): Promise<{ rows: unknown[] }> {
    await this.ready;
    const result = await this.pool.query(text, values);
    const rows: unknown[] = result.rows;
    return { rows };
  }

  async saveRun(record: StoredRun): Promise<void> {
    await this.query(
      `INSERT INTO runs (id, kind, status, created_at, ended_at, target_name, record_json) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, ended_at = excluded.ended_at, record_json = excluded.record_json`,
      [
        record.id,
        record.kind,
        record.status,
        record.createdAt,
        record.endedAt,
        record.target.name,
        JSON.stringify(record),
      ],
    );
  }

  async getRun(idOrPrefix: string): Promise<StoredRun | null> {
    const exact = (await this.query('SELECT record_json FROM runs WHERE id = $1', [idOrPrefix])).rows[0];
    if (exact !== undefined) return parseStoredRun(textOf(exact, 'record_json'), idOrPrefix);
    const matches = (
      await this.query("SELECT id, record_json FROM runs WHERE id LIKE $1 ESCAPE '\\' LIMIT 2", [
        `${idOrPrefix.replace(/[\\%_]/g, '\\$&')}%`,
      ])
    ).rows;
    if (matches.length > 1)
      throw usageError(
        'RUN_AMBIGUOUS',
        `more than one run starts with '${idOrPrefix}'`,
        'give more of the id (see `yardstick runs list`)',
      );
    const only: unknown = matches[0];
    return only === undefined ? null : parseStoredRun(textOf(only, 'record_json'), textOf(only, 'id'));
  }

  async listRuns(options: { limit: number; kind?: string }): Promise<RunListing[]> {
    const result =
      options.kind === undefined
        ? await this.query(
            'SELECT id, kind, status, created_at, target_name FROM runs ORDER BY created_at DESC, id DESC LIMIT $1',
            [options.limit],
          )
        : await this.query(
            'SELECT id, kind, status, created_at, target_name FROM runs WHERE kind = $1 ORDER BY created_at DESC, id DESC LIMIT $2',
            [options.kind, options.limit],
          );
    return result.rows.map((r: unknown) => {
      const id = textOf(r, 'id');
      return {
        id,
        kind: textOf(r, 'kind'),
        status: storedStatus(textOf(r, 'status'), id),
        createdAt: textOf(r, 'created_at'),
        targetName: textOf(r, 'target_name'),
      };
    });
  }

  async saveCases(runId: string, rows: readonly CaseRow[]): Promise<number> {
    await this.ready;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Writers of the same run (several workers) take turns numbering its cases.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [runId]);
      const counted: unknown[] = (
        await client.query('SELECT COALESCE(MAX(seq), -1) + 1 AS seq FROM eval_cases WHERE run_id = $1', [runId])
      ).rows;
      const next = counted[0];
      let seq = numberOf(next, 'seq');
      let added = 0;
      for (const row of rows) {
        const inserted = await client.query(
          'INSERT INTO eval_cases (run_id, case_id, repeat, seq, result_json) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
          [runId, row.caseId, row.repeat, seq, JSON.stringify(row.result)],
        );
        if ((inserted.rowCount ?? 0) > 0) {
          added += 1;
          seq += 1;
        }
      }
      await client.query('COMMIT');
      return added;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async listCases(runId: string): Promise<CaseRow[]> {
    const result = await this.query(
      'SELECT case_id, repeat, result_json FROM eval_cases WHERE run_id = $1 ORDER BY seq',
      [runId],
    );
    return result.rows.map((r: unknown) => ({
      caseId: textOf(r, 'case_id'),
      repeat: numberOf(r, 'repeat'),
      result: JSON.parse(textOf(r, 'result_json')) as unknown,
    }));
  }

  async getCached(key: string): Promise<unknown> {
    const row: unknown = (await this.query('SELECT value_json FROM response_cache WHERE key = $1', [key])).rows[0];
    return row === undefined ? null : (JSON.parse(textOf(row, 'value_json')) as unknown);
  }

  async putCached(key: string, value: unknown): Promise<void> {
    await this.query(
      `INSERT INTO response_cache (key, created_at, value_json) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET created_at = excluded.created_at, value_json = excluded.value_json`,
      [key, new Date().toISOString(), JSON.stringify(value)],
    );
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.pool.end();
  }
}

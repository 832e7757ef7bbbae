import { usageError } from '../../core/errors.js';

/** Schema migrations, applied in order and recorded in `schema_migrations`; append, never edit. */
export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        ended_at TEXT,
        target_name TEXT NOT NULL,
        record_json TEXT NOT NULL
      );
      CREATE INDEX runs_created_at ON runs (created_at);
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE eval_cases (
        run_id TEXT NOT NULL,
        case_id TEXT NOT NULL,
        repeat INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        result_json TEXT NOT NULL,
        PRIMARY KEY (run_id, case_id, repeat)
      );
      CREATE TABLE response_cache (
        key TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        value_json TEXT NOT NULL
      );
    `,
  },
];

/** The migrations a store that has applied `applied` still needs, in order; exit 2 for a store from a newer schema. */
export function pendingMigrations(applied: ReadonlySet<number>): readonly { version: number; sql: string }[] {
  const newest = Math.max(0, ...applied);
  const known = Math.max(...MIGRATIONS.map((m) => m.version));
  if (newest > known)
    throw usageError(
      'STORE_TOO_NEW',
      `the store has schema version ${newest}, newer than this yardstick understands (${known})`,
      'upgrade yardstick, or use another store with --store',
    );
  return MIGRATIONS.filter((m) => !applied.has(m.version));
}

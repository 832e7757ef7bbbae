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

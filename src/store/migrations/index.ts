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
];

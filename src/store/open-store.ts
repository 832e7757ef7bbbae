import { dirname, join } from 'node:path';
import { PostgresStore } from './postgres.js';
import { SqliteStore, type SqliteOptions } from './sqlite.js';
import type { Store } from './store.js';
import { isPostgresUrl } from './store-url.js';

export const DEFAULT_STORE_PATH = join('.yardstick', 'yardstick.db');

/**
 * Opens the store named by `--store`, else `YARDSTICK_STORE`, else `.yardstick/yardstick.db` in the working
 * directory: a `postgres://` URL is a PostgreSQL server (connected on first use), anything else a SQLite file, opened
 * with `options`.
 */
export function openStore(flag: string | undefined, options: SqliteOptions = {}): Store {
  const named = storePath(flag);
  return isPostgresUrl(named) ? new PostgresStore(named) : new SqliteStore(named, options);
}

/**
 * The page cache of a process that writes to the store for as long as it runs (the proxy): SQLite's own default. The
 * cache fills with the pages the process writes, so with the 16,000 KiB better-sqlite3 allows it would grow for hours
 * of sampled traffic before levelling off; with this it is full within minutes.
 */
export const LONG_RUNNING_PAGE_CACHE_KIB = 2000;

/** The store `--store` (or `YARDSTICK_STORE`, or the default) names. */
export function storePath(flag: string | undefined): string {
  return flag ?? process.env.YARDSTICK_STORE ?? DEFAULT_STORE_PATH;
}

/**
 * Where a run's HTML report goes by default: `reports/RUN_ID/` beside the store file (beside the default store's
 * place in the working directory when the store is a server).
 */
export function defaultReportDir(flag: string | undefined, runId: string): string {
  const named = storePath(flag);
  return join(dirname(isPostgresUrl(named) ? DEFAULT_STORE_PATH : named), 'reports', runId);
}

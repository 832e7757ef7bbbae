import { dirname, join } from 'node:path';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

export const DEFAULT_STORE_PATH = join('.yardstick', 'yardstick.db');

/** Opens the store named by `--store`, else `YARDSTICK_STORE`, else `.yardstick/yardstick.db` in the working directory. */
export function openStore(flag: string | undefined): Store {
  return new SqliteStore(storePath(flag));
}

/** The store file `--store` (or `YARDSTICK_STORE`, or the default) names. */
export function storePath(flag: string | undefined): string {
  return flag ?? process.env.YARDSTICK_STORE ?? DEFAULT_STORE_PATH;
}

/** Where a run's HTML report goes by default: `reports/RUN_ID/` beside the store file. */
export function defaultReportDir(flag: string | undefined, runId: string): string {
  return join(dirname(storePath(flag)), 'reports', runId);
}

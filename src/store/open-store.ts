import { join } from 'node:path';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

export const DEFAULT_STORE_PATH = join('.yardstick', 'yardstick.db');

/** Opens the store named by `--store`, else `YARDSTICK_STORE`, else `.yardstick/yardstick.db` in the working directory. */
export function openStore(flag: string | undefined): Store {
  return new SqliteStore(flag ?? process.env.YARDSTICK_STORE ?? DEFAULT_STORE_PATH);
}

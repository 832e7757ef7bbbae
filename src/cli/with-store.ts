import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { GlobalOptions } from './global-options.js';

/** Opens the store the global options name, hands it to `use`, and closes it whatever happens. */
export async function withStore<T>(globals: () => GlobalOptions, use: (store: Store) => T | Promise<T>): Promise<T> {
  const store = openStore(globals().store);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { GlobalOptions } from './global-options.js';

/** Opens the store the global options name, hands it to `use`, and closes it whatever happens. */
export function withStore<T>(globals: () => GlobalOptions, use: (store: Store) => T): T {
  const store = openStore(globals().store);
  try {
    return use(store);
  } finally {
    store.close();
  }
}

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ColumnState } from '../data/column-accumulator.js';
import type { ColumnTable } from '../data/read-columns.js';
import { driftWindow, type DriftWindow, type WindowInput, type WindowSettings } from './drift-window.js';
import type { WindowWorkerData, WindowWorkerReply } from './window-worker.js';

/** Compares windows with the reference, one at a time, in the order given. */
export interface WindowComparer {
  compare(input: WindowInput): Promise<DriftWindow>;
  close(): Promise<void>;
}

/** On the calling thread: the window's comparison holds that thread for its duration. */
export function inProcessComparer(reference: ColumnTable, settings: WindowSettings): WindowComparer {
  return {
    compare: (input) => Promise.resolve().then(() => driftWindow(reference, input, settings)),
    close: () => Promise.resolve(),
  };
}

const WORKER_ENTRY = new URL('./window-worker.js', import.meta.url);

/**
 * On a worker thread holding a copy of the reference, so that a window's comparison (about 0.1 s for thousands of
 * rows, bench/drift-window.mjs) never holds up the proxy's traffic; in-process when the compiled worker entry is not
 * there (the unit tests run the TypeScript sources; `entry` names the compiled one).
 */
export function workerComparer(
  reference: ColumnTable,
  settings: WindowSettings,
  entry: URL = WORKER_ENTRY,
): WindowComparer {
  if (!existsSync(fileURLToPath(entry))) return inProcessComparer(reference, settings);
  const columns: [string, ColumnState][] = [...reference.columns].map(([name, column]) => [
    name,
    column.toState().state,
  ]);
  const data: WindowWorkerData = { path: reference.path, rows: reference.rows, columns, settings };
  const worker = new Worker(entry, { workerData: data });
  worker.unref();
  const waiting: { resolve: (window: DriftWindow) => void; reject: (error: Error) => void }[] = [];
  worker.on('message', (reply: WindowWorkerReply) => {
    const next = waiting.shift();
    if (next === undefined) return;
    if (reply.ok) next.resolve(reply.window);
    else next.reject(new Error(reply.message));
  });
  // Once the worker is gone, every comparison waiting or asked for fails at once instead of never ending.
  let gone: Error | null = null;
  const failAll = (error: Error): void => {
    gone ??= error;
    for (const next of waiting.splice(0)) next.reject(error);
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the drift worker exited (code ${code})`)));
  return {
    compare: (input) =>
      new Promise<DriftWindow>((resolve, reject) => {
        if (gone !== null) return reject(gone);
        waiting.push({ resolve, reject });
        worker.postMessage(input);
      }),
    close: async () => {
      await worker.terminate();
    },
  };
}

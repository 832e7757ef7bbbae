import { parentPort, workerData } from 'node:worker_threads';
import { messageOf } from '../core/errors.js';
import { ColumnAccumulator, type ColumnState } from '../data/column-accumulator.js';
import type { ColumnTable } from '../data/read-columns.js';
import { driftWindow, type DriftWindow, type WindowInput, type WindowSettings } from './drift-window.js';

/** What the window worker starts with: the reference's columns (copied from the main thread) and the settings. */
export interface WindowWorkerData {
  path: string;
  rows: number;
  columns: [string, ColumnState][];
  settings: WindowSettings;
}

export type WindowWorkerReply = { ok: true; window: DriftWindow } | { ok: false; message: string };

// Worker entry: compares each window posted to it with the reference, one after another, off the proxy's thread.
const data = workerData as WindowWorkerData;
const reference: ColumnTable = {
  path: data.path,
  rows: data.rows,
  names: data.columns.map(([name]) => name),
  lines: null,
  columns: new Map(data.columns.map(([name, state]) => [name, ColumnAccumulator.fromState(state)])),
};
parentPort?.on('message', (input: WindowInput) => {
  let reply: WindowWorkerReply;
  try {
    reply = { ok: true, window: driftWindow(reference, input, data.settings) };
  } catch (error) {
    reply = { ok: false, message: messageOf(error) };
  }
  parentPort?.postMessage(reply);
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { YardstickError } from '../../src/core/errors.js';

/** Runs `fn` and returns the YardstickError it throws; fails the test when it throws nothing or something else. */
export function yardstickErrorOf(fn: () => unknown): YardstickError {
  try {
    fn();
  } catch (error) {
    if (error instanceof YardstickError) return error;
    throw error;
  }
  throw new Error('expected a YardstickError');
}

/** Writes `text` to a new file called `name` in a fresh temporary folder and returns its path. */
export function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ys-test-')), name);
  writeFileSync(path, text);
  return path;
}

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freshDir } from './helpers/cli.js';

const SQLITE = fileURLToPath(new URL('../dist/store/sqlite.js', import.meta.url));

/** A process that opens (creating and migrating) the store at `path`, lists its runs and closes it. */
function openInProcess(path: string): Promise<{ code: number | null; stderr: string }> {
  const script = `const { SqliteStore } = await import(${JSON.stringify(SQLITE)});
const store = new SqliteStore(${JSON.stringify(path)});
await store.listRuns({ limit: 1 });
await store.close();`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('a new SQLite store opened by several processes at once', () => {
  it('is migrated once, every process waiting for it rather than failing', async () => {
    for (let round = 0; round < 4; round += 1) {
      const path = join(freshDir(), 'store.db');
      const results = await Promise.all(Array.from({ length: 6 }, () => openInProcess(path)));
      for (const result of results) expect(result.code, result.stderr).toBe(0);
    }
  }, 60_000);
});

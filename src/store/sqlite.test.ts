import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite.js';
import { sampleRecord, storeContract } from './store-contract.js';

function tempPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'ys-store-')), 'nested', 'yardstick.db');
}

describe('SqliteStore', () => {
  storeContract(() => new SqliteStore(tempPath()));

  it('creates its folder, migrates once, and keeps runs across reopenings', () => {
    const path = tempPath();
    const first = new SqliteStore(path);
    first.saveRun(sampleRecord());
    first.close();
    const second = new SqliteStore(path);
    expect(second.getRun('20261127-120000-aaaa')?.status).toBe('completed');
    second.close();
    const raw = new Database(path);
    expect(raw.prepare('SELECT version FROM schema_migrations').all()).toEqual([{ version: 1 }, { version: 2 }]);
    raw.close();
  });

  it('refuses a store written by a newer schema', () => {
    const path = tempPath();
    new SqliteStore(path).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations VALUES (99, 'later')").run();
    raw.close();
    expect(() => new SqliteStore(path)).toThrow(/newer than this yardstick understands/);
  });
});

import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite.js';
import { sampleRecord, storeContract } from '../../test/helpers/store-contract.js';

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

  it('refuses a stored run that is not a run record, naming the run, instead of handing it on', () => {
    const path = tempPath();
    const store = new SqliteStore(path);
    store.saveRun(sampleRecord({ id: 'a' }));
    store.saveRun(sampleRecord({ id: 'b' }));
    store.close();
    const raw = new Database(path);
    raw.prepare('UPDATE runs SET record_json = \'{"id":"a"}\' WHERE id = \'a\'').run();
    raw.prepare("UPDATE runs SET status = 'paused' WHERE id = 'b'").run();
    raw.close();
    const reopened = new SqliteStore(path);
    expect(() => reopened.getRun('a')).toThrow(/the stored run a is not a version 1 run record/);
    expect(() => reopened.listRuns({ limit: 10 })).toThrow(/the stored run b has an unknown status 'paused'/);
    reopened.close();
  });
});

import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { YardstickError } from '../core/errors.js';
import { LONG_RUNNING_PAGE_CACHE_KIB } from './open-store.js';
import { SqliteStore } from './sqlite.js';
import { sampleRecord, storeContract } from '../../test/helpers/store-contract.js';

function tempPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'ys-store-')), 'nested', 'yardstick.db');
}

describe('SqliteStore', () => {
  storeContract(() => new SqliteStore(tempPath()));

  it("holds its page cache to what it is given, else to better-sqlite3's 16,000 KiB", async () => {
    const path = tempPath();
    const roomy = new SqliteStore(path);
    const held = new SqliteStore(path, { pageCacheKib: LONG_RUNNING_PAGE_CACHE_KIB });
    try {
      expect(roomy.pageCacheKib()).toBe(16000);
      expect(held.pageCacheKib()).toBe(2000);
    } finally {
      await roomy.close();
      await held.close();
    }
  });

  it('waits for a new store another process holds, then says so with STORE_UNAVAILABLE', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ys-store-')), 'held.db');
    const holder = new Database(path);
    holder.exec('CREATE TABLE t (x INTEGER)');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const started = Date.now();
      let refusal: unknown = null;
      try {
        new SqliteStore(path);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(YardstickError);
      expect(refusal).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect(refusal instanceof Error ? refusal.message : '').toMatch(
        /^the store at .*held\.db stayed locked for 5 s: another process holds it$/,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    // Once the holder is gone, the same file opens and is put in WAL mode.
    const store = new SqliteStore(path);
    void store.close();
    const reader = new Database(path);
    expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    reader.close();
  }, 30_000);

  it('creates its folder, migrates once, and keeps runs across reopenings', async () => {
    const path = tempPath();
    const first = new SqliteStore(path);
    await first.saveRun(sampleRecord());
    await first.close();
    const second = new SqliteStore(path);
    expect((await second.getRun('20261127-120000-aaaa'))?.status).toBe('completed');
    await second.close();
    const raw = new Database(path);
    expect(raw.prepare('SELECT version FROM schema_migrations').all()).toEqual([{ version: 1 }, { version: 2 }]);
    raw.close();
  });

  it('refuses a store written by a newer schema', async () => {
    const path = tempPath();
    await new SqliteStore(path).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations VALUES (99, 'later')").run();
    raw.close();
    expect(() => new SqliteStore(path)).toThrow(/newer than this yardstick understands/);
  });

  it('refuses a stored run that is not a run record, naming the run, instead of handing it on', async () => {
    const path = tempPath();
    const store = new SqliteStore(path);
    await store.saveRun(sampleRecord({ id: 'a' }));
    await store.saveRun(sampleRecord({ id: 'b' }));
    await store.close();
    const raw = new Database(path);
    raw.prepare('UPDATE runs SET record_json = \'{"id":"a"}\' WHERE id = \'a\'').run();
    raw.prepare("UPDATE runs SET status = 'paused' WHERE id = 'b'").run();
    raw.close();
    const reopened = new SqliteStore(path);
    await expect(reopened.getRun('a')).rejects.toThrow(/the stored run a is not a version 1 run record/);
    await expect(reopened.listRuns({ limit: 10 })).rejects.toThrow(/the stored run b has an unknown status 'paused'/);
    await reopened.close();
  });
});

import { expect, it } from 'vitest';
import type { StoredRun } from '../../src/store/run-record.js';
import type { Store } from '../../src/store/store.js';

/** A run record for tests; fields can be overridden. */
export function sampleRecord(overrides: Partial<StoredRun> = {}): StoredRun {
  return {
    schemaVersion: 1,
    id: '20261127-120000-aaaa',
    kind: 'bench',
    status: 'completed',
    createdAt: '2026-11-27T12:00:00.000Z',
    endedAt: '2026-11-27T12:00:10.000Z',
    config: { load: { profile: 'rate' } },
    environment: {
      cpuModel: 'cpu',
      cores: 2,
      totalMemoryBytes: 1,
      platform: 'linux',
      arch: 'x64',
      node: 'v20',
      yardstickVersion: '0.1.0',
      gitSha: null,
      hostname: 'h',
    },
    target: {
      kind: 'openai-chat',
      name: 'tiny',
      url: 'http://127.0.0.1:1/v1/chat/completions',
      model: 'tiny',
      streaming: true,
    },
    summary: { ok: true },
    resources: [],
    ...overrides,
  };
}

/** The behaviour every Store must have; call inside a describe block with a factory for fresh stores. */
export function storeContract(makeStore: () => Store | Promise<Store>): void {
  it('saves and reads back a run', async () => {
    const store = await makeStore();
    const record = sampleRecord();
    await store.saveRun(record);
    expect(await store.getRun(record.id)).toEqual(record);
    await store.close();
  });

  it('updates a run saved twice', async () => {
    const store = await makeStore();
    await store.saveRun(sampleRecord({ status: 'running', endedAt: null }));
    await store.saveRun(sampleRecord({ status: 'interrupted' }));
    expect((await store.getRun('20261127-120000-aaaa'))?.status).toBe('interrupted');
    expect(await store.listRuns({ limit: 10 })).toHaveLength(1);
    await store.close();
  });

  it('finds a run by a unique prefix and refuses an ambiguous one', async () => {
    const store = await makeStore();
    await store.saveRun(sampleRecord({ id: '20261127-120000-aaaa' }));
    await store.saveRun(sampleRecord({ id: '20261127-130000-bbbb', createdAt: '2026-11-27T13:00:00.000Z' }));
    expect((await store.getRun('20261127-13'))?.id).toBe('20261127-130000-bbbb');
    await expect(store.getRun('20261127-')).rejects.toThrow(/more than one run/);
    expect(await store.getRun('1999')).toBeNull();
    await store.close();
  });

  it('lists newest first, with a limit and a kind filter', async () => {
    const store = await makeStore();
    await store.saveRun(sampleRecord({ id: 'a', createdAt: '2026-11-27T10:00:00.000Z' }));
    await store.saveRun(sampleRecord({ id: 'b', createdAt: '2026-11-27T11:00:00.000Z', kind: 'metrics' }));
    await store.saveRun(sampleRecord({ id: 'c', createdAt: '2026-11-27T12:00:00.000Z' }));
    expect((await store.listRuns({ limit: 10 })).map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect((await store.listRuns({ limit: 1 })).map((r) => r.id)).toEqual(['c']);
    expect((await store.listRuns({ limit: 10, kind: 'bench' })).map((r) => r.id)).toEqual(['c', 'a']);
    await store.close();
  });

  it('keeps the first result of a case and repeat, and lists cases in saving order', async () => {
    const store = await makeStore();
    expect(
      await store.saveCases('r1', [
        { caseId: 'b', repeat: 0, result: { v: 1 } },
        { caseId: 'a', repeat: 0, result: { v: 2 } },
      ]),
    ).toBe(2);
    expect(
      await store.saveCases('r1', [
        { caseId: 'a', repeat: 0, result: { v: 99 } },
        { caseId: 'a', repeat: 1, result: { v: 3 } },
      ]),
    ).toBe(1);
    await store.saveCases('r2', [{ caseId: 'a', repeat: 0, result: { v: 4 } }]);
    expect(await store.listCases('r1')).toEqual([
      { caseId: 'b', repeat: 0, result: { v: 1 } },
      { caseId: 'a', repeat: 0, result: { v: 2 } },
      { caseId: 'a', repeat: 1, result: { v: 3 } },
    ]);
    expect(await store.listCases('none')).toEqual([]);
    await store.close();
  });

  it('caches responses by key', async () => {
    const store = await makeStore();
    expect(await store.getCached('k')).toBeNull();
    await store.putCached('k', { output: 'x' });
    await store.putCached('k', { output: 'y' });
    expect(await store.getCached('k')).toEqual({ output: 'y' });
    await store.close();
  });
}

import { describe, expect, it } from 'vitest';
import { RunLifecycle, saveFinishedRun } from './run-lifecycle.js';
import type { StoredRun } from './run-record.js';
import { SqliteStore } from './sqlite.js';

const target = { kind: 'file', name: 'data.csv', url: 'data.csv', model: null, streaming: false };

interface CountSummary {
  schemaVersion: 1;
  kind: 'count';
  runId: string;
  count: number;
}

function summary(runId: string, count: number): CountSummary {
  return { schemaVersion: 1, kind: 'count', runId, count };
}

async function stored(store: SqliteStore, id: string): Promise<StoredRun> {
  const run = await store.getRun(id);
  if (run === null) throw new Error(`run ${id} is not stored`);
  return run;
}

describe('RunLifecycle', () => {
  it('stores a run as running when it starts, with its environment, then its status, summary and end', async () => {
    const store = new SqliteStore(':memory:');
    const run = await RunLifecycle.start<'count', CountSummary>(store, { kind: 'count', config: { n: 1 }, target });
    const started = await stored(store, run.id);
    expect(started).toMatchObject({ kind: 'count', status: 'running', endedAt: null, summary: null, config: { n: 1 } });
    expect(started.environment.cores).toBeGreaterThan(0);
    await run.update(summary(run.id, 1));
    expect(await stored(store, run.id)).toMatchObject({ status: 'running', summary: { count: 1 } });
    const samples = [
      {
        atS: 1,
        generatorCpuPercent: 1,
        generatorRssBytes: 2,
        systemCpuPercent: 3,
        targetCpuPercent: null,
        targetRssBytes: null,
        gpuUtilPercent: null,
        gpuMemoryBytes: null,
        gpuPowerW: null,
        cpuPackagePowerW: null,
      },
    ];
    const done = await run.finish('completed', summary(run.id, 2), samples);
    expect(await stored(store, run.id)).toEqual(done);
    expect(done).toMatchObject({ status: 'completed', summary: { count: 2 }, resources: samples });
    expect(Date.parse(done.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(done.createdAt));
  });

  it('keeps the summary it had when the run fails, and a resumed run is running again until it ends', async () => {
    const store = new SqliteStore(':memory:');
    const run = await RunLifecycle.start<'count', CountSummary>(store, { kind: 'count', config: {}, target });
    await run.update(summary(run.id, 3));
    await run.fail();
    expect(await stored(store, run.id)).toMatchObject({ status: 'failed', summary: { count: 3 } });
    const resumed = await RunLifecycle.resume(store, run.record);
    expect(await stored(store, run.id)).toMatchObject({ status: 'running', endedAt: null, summary: { count: 3 } });
    await resumed.finish('interrupted', summary(run.id, 4));
    expect(await stored(store, run.id)).toMatchObject({ status: 'interrupted', summary: { count: 4 } });
  });

  it('without a store keeps the record in memory only', async () => {
    const run = await RunLifecycle.start<'count', CountSummary>(null, { kind: 'count', config: {}, target, id: 'x-1' });
    expect(await run.finish('completed', summary('x-1', 5))).toMatchObject({ id: 'x-1', status: 'completed' });
  });

  it('stores a one-step run once, started when the caller says and ended now', async () => {
    const store = new SqliteStore(':memory:');
    const record = await saveFinishedRun(store, {
      id: 'r-1',
      kind: 'count',
      createdAt: '2026-12-01T00:00:00.000Z',
      status: 'completed',
      config: {},
      target,
      summary: summary('r-1', 6),
    });
    expect(await stored(store, 'r-1')).toEqual(record);
    expect(record.createdAt).toBe('2026-12-01T00:00:00.000Z');
    expect(record.endedAt).not.toBeNull();
  });

  it('tells its observers each step in order, after the store has kept it', async () => {
    const store = new SqliteStore(':memory:');
    const seen: string[] = [];
    const run = await RunLifecycle.start<'count', CountSummary, number>(
      store,
      { kind: 'count', config: {}, target },
      [
        {
          started: async (record, info) => {
            seen.push(`started ${(await stored(store, record.id)).status} ${info.requests}`);
          },
          progress: (n) => {
            seen.push(`progress ${n}`);
          },
          updated: (record) => {
            seen.push(`updated ${record.summary?.count}`);
          },
          finished: async (record) => {
            seen.push(`finished ${(await stored(store, record.id)).status}`);
          },
        },
        {
          finished: () => {
            seen.push('second observer');
          },
        },
      ],
      { requests: 12 },
    );
    run.progress(3);
    await run.update(summary(run.id, 7));
    await run.finish('completed', summary(run.id, 8));
    expect(seen).toEqual(['started running 12', 'progress 3', 'updated 7', 'finished completed', 'second observer']);
  });
});

import { describe, expect, it } from 'vitest';
import type { Exchange } from '../core/types.js';
import { SqliteStore } from '../store/sqlite.js';
import { WriteQueue } from '../store/write-queue.js';
import type { Store } from '../store/store.js';
import { readProxySamples } from './proxy-sample.js';
import { Redactor } from './redaction.js';
import { Sampler } from './sampler.js';

function exchange(output: string): Exchange {
  return {
    index: 0,
    intendedAt: null,
    sentAt: 0,
    firstTokenAt: 5e6,
    firstContentAt: 5e6,
    endedAt: 12e6,
    chunks: [],
    streamed: false,
    tokensIn: 9,
    tokensOut: 3,
    tokenSource: 'server',
    clientTokensOut: 3,
    output,
    status: 'ok',
    error: null,
    finishReason: 'stop',
  };
}

const labels = { model: 'm', endpoint: 'chat' };
const body = Buffer.from(
  JSON.stringify({ model: 'm', user: 'u-1', messages: [{ role: 'user', content: 'hi a@b.io' }] }),
);
const redactor = new Redactor({ patterns: [/[\w.]+@[\w.]+/], fields: ['user'] });

/** Flushes the sampler's samples and waits for the write. */
async function flushed(s: Sampler): Promise<void> {
  const writes = new WriteQueue();
  s.flush(writes);
  await writes.drained();
}

function sampler(store: Store, share: number, budgetBytes = 1e6, errors: string[] = []): Sampler {
  return new Sampler({ store, runId: 'r', share, budgetBytes, redactor, seed: 3, onError: (m) => errors.push(m) });
}

describe('Sampler', () => {
  it('keeps every exchange at 100%, redacted, written at each flush in order', async () => {
    const store = new SqliteStore(':memory:');
    const s = sampler(store, 1);
    s.offer(exchange('one a@b.io'), labels, body);
    s.offer(exchange('two'), labels, body);
    expect(await readProxySamples(store, 'r')).toEqual([]);
    await flushed(s);
    s.offer(exchange('three'), labels, body);
    await flushed(s);
    const kept = await readProxySamples(store, 'r');
    expect(kept.map((k) => k.output)).toEqual(['one [redacted]', 'two', 'three']);
    expect(kept[0]).toMatchObject({
      model: 'm',
      endpoint: 'chat',
      outcome: 'ok',
      request: { model: 'm', user: '[redacted]', messages: [{ role: 'user', content: 'hi [redacted]' }] },
      ttftMs: 5,
      e2eMs: 12,
      tokensIn: 9,
      tokensOut: 3,
      finishReason: 'stop',
    });
    expect(s.summary).toMatchObject({ share: 1, kept: 3, overBudget: 0, failed: 0 });
    await store.close();
  });

  it('keeps the seeded share, the same on every run, and stops at the byte budget', async () => {
    const draws = (seedStore: Store): number => {
      const s = sampler(seedStore, 0.3);
      for (let i = 0; i < 1000; i += 1) s.offer(exchange(`n${i}`), labels, body);
      return s.summary.kept;
    };
    const a = draws(new SqliteStore(':memory:'));
    expect(a).toBeGreaterThan(250);
    expect(a).toBeLessThan(350);
    expect(draws(new SqliteStore(':memory:'))).toBe(a);
    const store = new SqliteStore(':memory:');
    const small = sampler(store, 1, 700);
    for (let i = 0; i < 10; i += 1) small.offer(exchange('x'), labels, body);
    await flushed(small);
    expect(small.summary.kept).toBeGreaterThan(0);
    expect(small.summary.kept + small.summary.overBudget).toBe(10);
    expect(small.summary.bytes).toBeLessThanOrEqual(700);
    expect(await readProxySamples(store, 'r')).toHaveLength(small.summary.kept);
  });

  it('counts the samples of a write the store refused, and goes on', async () => {
    const store = new SqliteStore(':memory:');
    const errors: string[] = [];
    const failing: Store = {
      ...store,
      saveRun: (r) => store.saveRun(r),
      getRun: (id) => store.getRun(id),
      listRuns: (o) => store.listRuns(o),
      listCases: (id) => store.listCases(id),
      getCached: (k) => store.getCached(k),
      putCached: (k, v) => store.putCached(k, v),
      close: () => store.close(),
      saveCases: () => {
        throw new Error('database is locked');
      },
    };
    const s = sampler(failing, 1, 1e6, errors);
    s.offer(exchange('a'), labels, body);
    s.offer(exchange('b'), labels, body);
    await flushed(s);
    expect(s.summary).toMatchObject({ kept: 0, failed: 2, bytes: 0 });
    expect(errors).toEqual(['cannot keep 2 samples: database is locked']);
  });
});

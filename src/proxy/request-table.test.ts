import { describe, expect, it } from 'vitest';
import { RequestTable } from './request-table.js';

describe('RequestTable', () => {
  it('holds, replaces and forgets requests by id', () => {
    const table = new RequestTable<string>();
    expect(table.get(1)).toBeUndefined();
    table.set(1, 'a');
    table.set(2, 'b');
    table.set(2, 'b2');
    expect([table.get(1), table.get(2), table.size]).toEqual(['a', 'b2', 2]);
    table.delete(1);
    table.delete(1);
    table.delete(99);
    expect([table.get(1), table.get(2), table.size]).toEqual([undefined, 'b2', 1]);
    // Id 0 is an id like any other: a free slot is not mistaken for it.
    expect(table.get(0)).toBeUndefined();
    table.delete(0);
    expect(table.size).toBe(1);
    table.set(0, 'zero');
    expect([table.get(0), table.size]).toEqual(['zero', 2]);
    table.delete(0);
    expect([table.get(0), table.size]).toEqual([undefined, 1]);
  });

  it('keeps requests whose ids share a slot apart, in any order of ending', () => {
    const table = new RequestTable<number>();
    // 8,192 slots: ids 5, 8197 and 16389 share one.
    const ids = [5, 8197, 16389];
    for (const id of ids) table.set(id, id * 10);
    expect(ids.map((id) => table.get(id))).toEqual([50, 81970, 163890]);
    table.delete(5);
    expect([table.get(5), table.get(8197), table.get(16389), table.size]).toEqual([undefined, 81970, 163890, 2]);
    // The freed slot takes the next id that maps to it; the one waiting in the overflow is still found.
    table.set(24581, 1);
    table.set(24581, 2);
    // One waiting in the overflow is replaced there, not held twice.
    table.set(16389, 7);
    expect([table.get(24581), table.get(8197), table.get(16389), table.size]).toEqual([2, 81970, 7, 3]);
    table.delete(8197);
    table.delete(24581);
    table.delete(16389);
    expect(table.size).toBe(0);
    expect(ids.map((id) => table.get(id))).toEqual([undefined, undefined, undefined]);
  });

  it('agrees with a Map over a long run of requests that overlap', () => {
    const table = new RequestTable<number>();
    const reference = new Map<number, number>();
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    // Each request ends a few ids after it started; one in a hundred stays open for 8,000 to 30,000 more.
    const endingAt = new Map<number, number[]>();
    for (let id = 1; id <= 60_000; id += 1) {
      table.set(id, id);
      reference.set(id, id);
      const lasts = random() < 0.01 ? 8000 + Math.floor(random() * 22_000) : Math.floor(random() * 30);
      endingAt.set(id + lasts, [...(endingAt.get(id + lasts) ?? []), id]);
      for (const ended of endingAt.get(id) ?? []) {
        table.delete(ended);
        reference.delete(ended);
      }
      endingAt.delete(id);
      if (id % 1000 === 0) expect(table.size).toBe(reference.size);
    }
    expect(table.size).toBe(reference.size);
    for (let id = 1; id <= 60_000; id += 1) expect(table.get(id)).toBe(reference.get(id));
  });
});

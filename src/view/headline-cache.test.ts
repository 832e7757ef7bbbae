import { describe, expect, it } from 'vitest';
import type { RunListing } from '../store/run-record.js';
import { HeadlineCache } from './headline-cache.js';

function listing(id: string, status: RunListing['status']): RunListing {
  return { id, kind: 'eval', status, createdAt: '2026-12-07T00:00:00Z', targetName: 't' };
}

describe('HeadlineCache', () => {
  it('reads a completed run once, and a run that may still change every time', async () => {
    const cache = new HeadlineCache();
    const reads: string[] = [];
    const show = (l: RunListing) =>
      cache.of(l, () => {
        reads.push(l.id);
        return Promise.resolve(`${l.id} ${reads.length}`);
      });
    expect(await show(listing('a', 'completed'))).toBe('a 1');
    expect(await show(listing('a', 'completed'))).toBe('a 1');
    expect(await show(listing('b', 'running'))).toBe('b 2');
    expect(await show(listing('b', 'interrupted'))).toBe('b 3');
    expect(await show(listing('b', 'completed'))).toBe('b 4');
    expect(await show(listing('b', 'completed'))).toBe('b 4');
    expect(reads).toEqual(['a', 'b', 'b', 'b']);
  });
});

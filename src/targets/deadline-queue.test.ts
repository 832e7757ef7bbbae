import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from './deadline-queue.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const owner = (log: unknown[], name: unknown): { expire(): void } => ({ expire: () => log.push(name) });

describe('DeadlineQueue', () => {
  it('expires requests that outlive the timeout and only those', async () => {
    const queue = new DeadlineQueue(40, 5);
    const expired: string[] = [];
    const a = queue.add(owner(expired, 'a'));
    queue.add(owner(expired, 'b'));
    await sleep(30);
    queue.add(owner(expired, 'c'));
    queue.cancel(a);
    await sleep(25);
    expect(expired).toEqual(['b']);
    await sleep(40);
    expect(expired).toEqual(['b', 'c']);
  });

  it('keeps working after it drains', async () => {
    const queue = new DeadlineQueue(10, 2);
    const expired: number[] = [];
    queue.add(owner(expired, 1));
    await sleep(25);
    queue.add(owner(expired, 2));
    await sleep(25);
    expect(expired).toEqual([1, 2]);
  });

  it('lets go of settled requests queued behind a slow one', async () => {
    const queue = new DeadlineQueue(60_000, 2);
    const expired: number[] = [];
    queue.add(owner(expired, 0)); // a stalled request at the head
    for (let i = 1; i <= 5000; i += 1) queue.cancel(queue.add(owner(expired, i)));
    const late = queue.add(owner(expired, 5001));
    await sleep(20);
    const entries = (queue as unknown as { entries: unknown[] }).entries;
    expect(entries.length).toBe(2);
    queue.cancel(late);
    expect(expired).toEqual([]);
  });
});

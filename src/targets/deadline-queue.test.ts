import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from './deadline-queue.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('DeadlineQueue', () => {
  it('expires requests that outlive the timeout and only those', async () => {
    const queue = new DeadlineQueue(40, 5);
    const expired: string[] = [];
    const cancelA = queue.add(() => expired.push('a'));
    queue.add(() => expired.push('b'));
    await sleep(30);
    queue.add(() => expired.push('c'));
    cancelA();
    await sleep(25);
    expect(expired).toEqual(['b']);
    await sleep(40);
    expect(expired).toEqual(['b', 'c']);
  });

  it('keeps working after it drains', async () => {
    const queue = new DeadlineQueue(10, 2);
    const expired: number[] = [];
    queue.add(() => expired.push(1));
    await sleep(25);
    queue.add(() => expired.push(2));
    await sleep(25);
    expect(expired).toEqual([1, 2]);
  });
});

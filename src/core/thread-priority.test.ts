import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { lowerThreadPriority } from './thread-priority.js';

/** A thread that answers each message with its own nice value. */
function startReporter(): { nice: () => Promise<number>; stop: () => Promise<number> } {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const { getPriority } = require('node:os');
     parentPort.on('message', () => parentPort.postMessage(getPriority(0)));`,
    { eval: true },
  );
  return {
    nice: () =>
      new Promise((resolve) => {
        worker.once('message', (value: number) => resolve(value));
        worker.postMessage('nice?');
      }),
    stop: () => worker.terminate(),
  };
}

describe('lowerThreadPriority', () => {
  const reporters: { stop: () => Promise<number> }[] = [];
  afterAll(async () => {
    for (const reporter of reporters) await reporter.stop();
  });

  it('leaves everything as it was off Linux', () => {
    const before = getPriority(0);
    expect(lowerThreadPriority(3, 'darwin')).toBeNull();
    expect(getPriority(0)).toBe(before);
  });

  it.runIf(process.platform === 'linux')(
    'lowers the calling thread alone; threads it starts afterwards inherit it',
    async () => {
      const startedBefore = startReporter();
      reporters.push(startedBefore);
      const niceOfOthers = await startedBefore.nice();
      const before = getPriority(0);

      const now = lowerThreadPriority(3);

      expect(now).toBe(Math.min(19, before + 3));
      expect(getPriority(0)).toBe(now);
      expect(await startedBefore.nice()).toBe(niceOfOthers);
      const startedAfter = startReporter();
      reporters.push(startedAfter);
      expect(await startedAfter.nice()).toBe(now);
    },
  );

  it.runIf(process.platform === 'linux')('stops at 19, the least urgent value', () => {
    expect(lowerThreadPriority(40)).toBe(19);
    expect(lowerThreadPriority(1)).toBe(19);
  });
});

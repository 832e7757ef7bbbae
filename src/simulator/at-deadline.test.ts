import { describe, expect, it } from 'vitest';
import { atDeadline } from './at-deadline.js';

describe('atDeadline', () => {
  it('never calls back before the deadline, which a bare timer does', async () => {
    // A timer measures its timeout from the time libuv cached at the start of the loop's iteration, so one set
    // late in a busy iteration fires early; the simulator's schedule must not.
    const lateness: number[] = [];
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const busyUntil = performance.now() + (i % 5) * 0.3;
        while (performance.now() < busyUntil); // work in the same iteration, as a busy server does
        const dueAtMs = performance.now() + 1 + (i % 13);
        return new Promise<void>((resolve) =>
          atDeadline(dueAtMs, () => resolve(void lateness.push(performance.now() - dueAtMs))),
        );
      }),
    );
    expect(lateness).toHaveLength(200);
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
  });
});

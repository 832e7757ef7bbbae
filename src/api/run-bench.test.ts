import { describe, expect, it } from 'vitest';
import { YardstickError } from '../core/errors.js';
import { functionTarget } from './function-target.js';
import { runBench } from './run-bench.js';

const echo = functionTarget({ name: 'echo', answer: (request) => request.prompt.slice(0, 8) });

async function refusal(run: Promise<unknown>): Promise<YardstickError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof YardstickError) return error;
    throw error;
  }
  throw new Error('the run was not refused');
}

describe('runBench', () => {
  it('sends the load to a target object of the caller, with no target in the config', async () => {
    const outcome = await runBench({
      config: { load: { profile: 'concurrency', concurrency: 2, requests: 20 } },
      target: echo,
    });
    expect(outcome.summary.requests).toMatchObject({ completed: 20, errored: 0 });
    expect(outcome.summary.target).toMatchObject({ kind: 'function', name: 'echo' });
    expect(outcome.passed).toBe(true);
  });

  it('refuses a target object on several load threads, and a config without a target, before any load', async () => {
    const workers = await refusal(
      runBench({ config: { load: { profile: 'concurrency', concurrency: 2, requests: 5, workers: 2 } }, target: echo }),
    );
    expect(workers).toMatchObject({ code: 'WORKERS_UNSUPPORTED', exitCode: 2 });
    const missing = await refusal(
      runBench({ config: { load: { profile: 'concurrency', concurrency: 1, requests: 1 } } }),
    );
    expect(missing.problems).toEqual([
      expect.objectContaining({ field: 'target', message: 'missing required field (object)' }),
    ]);
  });
});

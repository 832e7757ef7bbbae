import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/server.js';
import { runLoad } from './engine.js';
import { loadBenchConfig } from './load-bench-config.js';
import { searchSettings } from './step-plans.js';
import { sloSearchResult } from './slo-search.js';

let sim: RunningSimulator;

beforeAll(async () => {
  // 2 slots, 30 ms to the first token and 5 more 10 ms apart: 80 ms a request, so 25 requests per second at most.
  sim = await startSimulator({ ttftMs: 30, itlMs: 10, slots: 2 });
});

afterAll(async () => {
  await sim.close();
});

describe('a capacity search stops over-saturated steps early', () => {
  it('cuts a step at twice the capacity short, fails it with the reason, and lets steps below capacity run', async () => {
    const loaded = loadBenchConfig({
      path: null,
      overrides: {
        target: { kind: 'openai-chat', baseUrl: `${sim.url}/v1`, model: 'sim', timeout: '30s' },
        input: { kind: 'synthetic', inputTokens: 8, outputTokens: 6, fixedOutputLength: true, uniquePrompts: 8 },
        load: {
          profile: 'slo-search',
          objectives: ['p95(ttft) < 400ms'],
          startRate: 12.5,
          maxSteps: 3,
          stepDuration: '5s',
          duration: '1s',
          tolerance: 0.5,
        },
      },
    });
    const outcome = await runLoad(loaded, { signal: new AbortController().signal });
    const [below, over] = outcome.steps;
    expect(below?.label).toBe('search 12.5/s');
    expect(below?.stoppedEarly).toBeUndefined();
    expect(below?.durationS).toBeGreaterThan(4.5);
    expect(over?.label).toBe('search 25/s');
    expect(outcome.steps.map((s) => s.label)).toContain('search 50/s');
    const saturated = outcome.steps.find((s) => s.label === 'search 50/s');
    expect(saturated?.stoppedEarly).toMatch(/^over-saturated after \d\.\d s: requests in flight rose/);
    expect(saturated?.durationS).toBeLessThan(4);
    const load = loaded.config.load;
    if (load.profile !== 'slo-search') throw new Error('expected a capacity search');
    const result = sloSearchResult(searchSettings(load), outcome.steps);
    const step = result.steps.find((s) => s.label === 'search 50/s');
    expect(step?.passed).toBe(false);
    expect(step?.failedObjectives[0]).toMatch(/^stopped early: over-saturated/);
  }, 60_000);
});

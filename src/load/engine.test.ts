import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBenchConfig } from './load-bench-config.js';
import { startSimulator, type RunningSimulator } from '../simulator/server.js';
import { NO_FAULTS } from '../simulator/options.js';
import { runLoad } from './engine.js';

let sim: RunningSimulator;
let faulty: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 20, itlMs: 5 });
  faulty = await startSimulator({ ttftMs: 2, itlMs: 1, faults: { ...NO_FAULTS, http500: 0.2, http429: 0.1 }, seed: 4 });
});

afterAll(async () => {
  await sim.close();
  await faulty.close();
});

function config(
  url: string,
  load: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): ReturnType<typeof loadBenchConfig> {
  return loadBenchConfig({
    path: null,
    overrides: {
      target: { kind: 'openai-chat', baseUrl: `${url}/v1`, model: 'sim', timeout: '5s' },
      input: { kind: 'synthetic', inputTokens: 16, outputTokens: 8, uniquePrompts: 8 },
      load,
      ...extra,
    },
  });
}

const never = new AbortController().signal;

describe('throughput equals the capacity of a server whose capacity is known', () => {
  // A simulator with S slots that each take L per request completes S / L requests per second once users queue for
  // them. Counting the requests sent in the window instead adds the opening burst and the ones still in flight at its
  // end (16 of 80 here: 12 req/s reported for a 10 req/s server).
  it.each([
    ['long responses (1.6 s: 16 users queue for one slot of 100 ms)', { ttftMs: 50, itlMs: 10, slots: 1 }, 6, 16, '8s'],
    ['short responses (40 ms: 8 users, 4 slots of 20 ms)', { ttftMs: 10, itlMs: 2, slots: 4 }, 6, 8, '4s'],
  ])(
    '%s',
    async (_name, schedule, outputTokens, concurrency, duration) => {
      const server = await startSimulator(schedule);
      try {
        const serviceS = (schedule.ttftMs + (outputTokens - 1) * schedule.itlMs) / 1000;
        const loaded = loadBenchConfig({
          path: null,
          overrides: {
            target: { kind: 'openai-chat', baseUrl: `${server.url}/v1`, model: 'sim', timeout: '10s' },
            input: { kind: 'synthetic', inputTokens: 16, outputTokens, uniquePrompts: 8 },
            load: { profile: 'concurrency', concurrency, duration },
          },
        });
        const outcome = await runLoad(loaded, { signal: never });
        const capacityPerS = schedule.slots / serviceS;
        expect(outcome.overall.requests.errored).toBe(0);
        expect(Math.abs(outcome.overall.throughput.requestsPerS / capacityPerS - 1)).toBeLessThan(0.02);
        expect(Math.abs(outcome.overall.throughput.outputTokensPerS / (capacityPerS * outputTokens) - 1)).toBeLessThan(
          0.02,
        );
      } finally {
        await server.close();
      }
    },
    30_000,
  );
});

describe('runLoad', () => {
  it('holds an open-loop rate and measures the known token schedule', async () => {
    const outcome = await runLoad(
      config(sim.url, { profile: 'rate', ratePerS: 50, duration: '1s' }, { slo: ['ttft < 100ms'] }),
      { signal: never },
    );
    const s = outcome.overall;
    expect(s.requests.completed).toBe(50);
    expect(s.requests.errored).toBe(0);
    expect(s.rate.targetPerS).toBe(50);
    expect(s.rate.achievedPerS).toBeCloseTo(50, 0);
    expect(s.latencyMs.ttft?.p50).toBeGreaterThanOrEqual(19.5);
    expect(s.latencyMs.ttft?.p50).toBeLessThan(26);
    expect(s.latencyMs.itl?.p50).toBeGreaterThan(4);
    expect(s.latencyMs.itl?.p50).toBeLessThan(6.5);
    expect(s.latencyMs.itl?.count).toBe(50 * 7);
    expect(s.latencyMs.tpot?.p50).toBeCloseTo(5, 0);
    expect(s.latencyMs.e2e?.p50).toBeGreaterThan(54);
    expect(s.latencyMs.scheduleLag?.p99).toBeLessThan(50); // loose: precision is measured by bench/, not asserted here
    expect(s.latencyMs.e2eFromIntended?.count).toBe(50);
    // Throughput counts the completions inside the 1 s window: the ~3 requests (55 ms × 50/s) still in flight when
    // it closes complete after it, and the window began with none in flight to complete.
    expect(s.throughput.requestsPerS).toBeGreaterThan(46);
    expect(s.throughput.requestsPerS).toBeLessThan(50);
    expect(s.throughput.goodputPerS).toBeCloseTo(s.throughput.requestsPerS, 9);
    expect(s.tokens.output).toBe(400);
  });

  it('runs a closed loop to a request count', async () => {
    const outcome = await runLoad(config(sim.url, { profile: 'concurrency', concurrency: 4, requests: 20 }), {
      signal: never,
    });
    const s = outcome.overall;
    expect(s.requests.completed).toBe(20);
    expect(s.latencyMs.scheduleLag).toBeNull();
    expect(s.rate.targetPerS).toBeNull();
    // Four users each waiting ~55 ms per request: about 73 requests/s.
    expect(s.throughput.requestsPerS).toBeGreaterThan(50);
    expect(s.throughput.requestsPerS).toBeLessThan(80);
  });

  it('leaves warm-up out of the statistics', async () => {
    const outcome = await runLoad(
      config(sim.url, { profile: 'concurrency', concurrency: 2, requests: 20, warmup: '25%' }),
      { signal: never },
    );
    expect(outcome.overall.requests).toMatchObject({ completed: 15, excluded: 5 });
  });

  it('counts server faults by category and finishes the run', async () => {
    const outcome = await runLoad(
      config(
        faulty.url,
        { profile: 'concurrency', concurrency: 4, requests: 200 },
        { thresholds: ['error_rate < 1%'] },
      ),
      { signal: never },
    );
    const s = outcome.overall;
    expect(s.requests.completed + s.requests.errored).toBe(200);
    expect(s.errors.http_5xx).toBeGreaterThan(20);
    expect(s.errors.http_429).toBeGreaterThan(5);
    expect((s.errors.http_5xx ?? 0) + (s.errors.http_429 ?? 0)).toBe(s.requests.errored);
  });

  it('stops on interrupt and keeps what it measured', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    const outcome = await runLoad(config(sim.url, { profile: 'rate', ratePerS: 40, duration: '10s' }), {
      signal: controller.signal,
    });
    expect(outcome.interrupted).toBe(true);
    expect(outcome.overall.requests.completed).toBeGreaterThan(5);
    expect(outcome.overall.requests.completed).toBeLessThan(30);
    expect(outcome.overall.durationS).toBeLessThan(1);
  });

  it('sweeps from synchronous to throughput and rates between', async () => {
    const outcome = await runLoad(
      config(sim.url, { profile: 'sweep', steps: 2, duration: '400ms', maxConcurrency: 16 }),
      { signal: never },
    );
    expect(outcome.steps.map((s) => s.label.split(' ')[0])).toEqual(['synchronous', 'throughput', 'rate', 'rate']);
    const [sync, max, first, second] = outcome.steps;
    expect(max?.throughput.requestsPerS ?? 0).toBeGreaterThan((sync?.throughput.requestsPerS ?? 0) * 5);
    expect(first?.rate.targetPerS ?? 0).toBeLessThan(second?.rate.targetPerS ?? 0);
    expect(outcome.overall.requests.completed).toBe(outcome.steps.reduce((n, s) => n + s.requests.completed, 0));
  });
});

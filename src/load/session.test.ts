import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetRequest } from '../core/types.js';
import { functionTarget } from '../api/function-target.js';
import { startSimulator, type RunningSimulator } from '../simulator/server.js';
import type { Target } from '../targets/target.js';
import { runLoad } from './engine.js';
import { loadBenchConfig } from './load-bench-config.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 5, itlMs: 1 });
});

afterAll(async () => {
  await sim.close();
});

const never = new AbortController().signal;

describe('multi-turn sessions', () => {
  it("sends each turn with the whole history, the model's real answers included", async () => {
    const seen: TargetRequest[] = [];
    const inner = functionTarget({ name: 'echo', answer: (r) => `answer to request ${r.index}` });
    const target: Target = {
      ...inner,
      send: (request, context) => {
        seen.push(request);
        return inner.send(request, context);
      },
    };
    const loaded = loadBenchConfig({
      path: null,
      ownTarget: true,
      overrides: {
        input: { kind: 'synthetic', inputTokens: 4, outputTokens: 2, uniquePrompts: 12, turns: 3, seed: 3 },
        load: { profile: 'concurrency', concurrency: 1, requests: 2 },
      },
    });
    const outcome = await runLoad(loaded, { signal: never, target });
    expect(seen).toHaveLength(6);
    const [first, second, third] = seen;
    expect(first?.messages?.map((m) => m.role)).toEqual(['user']);
    expect(second?.messages?.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(third?.messages?.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(second?.messages?.[1]?.content).toBe(`answer to request ${first?.index ?? -1}`);
    expect(third?.messages?.slice(0, 3)).toEqual(second?.messages);
    // The completions form of the same history: one text, a message per line.
    expect(third?.prompt.split('\n')).toHaveLength(5);
    expect(new Set(seen.map((r) => r.index)).size).toBe(6);
    expect(outcome.overall.sessions).toMatchObject({ started: 2, completed: 2, broken: 0, cut: 0 });
    expect(outcome.overall.sessions?.byTurn.map((t) => t.completed)).toEqual([2, 2, 2]);
  });

  it('on a server: closed-loop sessions grow their input turn by turn; open-loop sessions arrive on the schedule', async () => {
    const target = { kind: 'openai-chat', baseUrl: `${sim.url}/v1`, model: 'sim', timeout: '5s' };
    const input = { kind: 'synthetic', inputTokens: 10, outputTokens: 6, uniquePrompts: 16, turns: 4, seed: 5 };
    const closed = await runLoad(
      loadBenchConfig({
        path: null,
        overrides: { target, input, load: { profile: 'concurrency', concurrency: 2, requests: 6, thinkTime: '20ms' } },
      }),
      { signal: never },
    );
    const sessions = closed.overall.sessions;
    expect(sessions).toMatchObject({ started: 6, completed: 6 });
    expect(closed.overall.requests.completed).toBe(24);
    const inputs = sessions?.byTurn.map((t) => t.meanInputTokens ?? 0) ?? [];
    expect(inputs).toHaveLength(4);
    for (let t = 1; t < inputs.length; t += 1) expect(inputs[t]).toBeGreaterThan((inputs[t - 1] ?? 0) + 6);

    const open = await runLoad(
      loadBenchConfig({
        path: null,
        overrides: { target, input, load: { profile: 'rate', ratePerS: 10, duration: '1s', thinkTime: '50ms' } },
      }),
      { signal: never },
    );
    // Ten sessions arrive in the second, each turn due at its previous answer plus the think time; the last ones
    // are cut when the second ends, since no turn is sent after the run's sending time.
    const o = open.overall.sessions;
    expect(o).toMatchObject({ started: 10, broken: 0 });
    expect((o?.completed ?? 0) + (o?.cut ?? 0)).toBe(10);
    expect(o?.completed).toBeGreaterThanOrEqual(7);
    expect(open.overall.requests.completed).toBe(o?.byTurn.reduce((sum, t) => sum + t.completed, 0));
    expect(o?.byTurn[0]?.completed).toBe(10);
    expect(open.overall.latencyMs.scheduleLag?.p50).toBeLessThan(5);
  });

  it("a session whose turn fails is counted broken; one the step's end reaches before its last turn, cut", async () => {
    let calls = 0;
    const target = functionTarget({
      name: 'flaky',
      answer: async (request) => {
        calls += 1;
        if (request.messages?.length === 3 && calls % 2 === 0) throw new Error('refused');
        await new Promise((resolve) => setTimeout(resolve, 30));
        return 'ok';
      },
    });
    const loaded = loadBenchConfig({
      path: null,
      ownTarget: true,
      overrides: {
        input: { kind: 'synthetic', inputTokens: 4, outputTokens: 2, uniquePrompts: 8, turns: 20, seed: 1 },
        load: { profile: 'concurrency', concurrency: 2, duration: '500ms' },
      },
    });
    const outcome = await runLoad(loaded, { signal: never, target });
    const s = outcome.overall.sessions;
    expect(s?.broken).toBeGreaterThan(0);
    expect(s?.cut).toBeGreaterThan(0);
    expect(s?.completed).toBe(0);
    expect(outcome.overall.errors).toMatchObject({ connection: s?.broken });
  });
});

import { describe, expect, it } from 'vitest';
import { loadSuite } from '../eval/load-suite.js';
import { pickTargets, suitePlan } from './eval-plans.js';

const targets = [
  { kind: 'openai-chat', name: 'small', model: 'm1' },
  { kind: 'openai-chat', model: 'm2' },
];

describe('eval plans', () => {
  it('pick targets by name, model or 1-based position, all by default, and refuse others with the names', () => {
    expect(pickTargets(targets, undefined)).toEqual([0, 1]);
    expect([pickTargets(targets, 'small'), pickTargets(targets, 'm2'), pickTargets(targets, 2)]).toEqual([
      [0],
      [1],
      [1],
    ]);
    expect(pickTargets(targets, '1')).toEqual([0]);
    expect(() => pickTargets(targets, 'large')).toThrow(/target 'large' is not one of the config's targets/);
    let refusal: unknown = null;
    try {
      pickTargets(targets, 3);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'TARGET_UNKNOWN', exitCode: 2, hint: 'targets: small, m2' });
  });

  it("take the choices given and the suite's own run settings for the rest", async () => {
    const suite = await loadSuite({
      path: null,
      overrides: {
        name: 's',
        cases: [{ q: 'a', expected: 'b' }],
        prompt: { text: '{{q}}' },
        targets: [{ kind: 'openai-chat', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' }],
        scorers: [{ type: 'equals' }],
        run: { concurrency: 3, repeats: 2, seed: 9, cache: false, ratePerS: 4 },
      },
    });
    const plan = suitePlan(suite, 0, { sample: 1, concurrency: 5, cache: true });
    expect(plan.settings).toMatchObject({
      targetIndex: 0,
      sampling: { limit: null, sample: 1, seed: 9, stratify: null },
      repeats: 2,
      concurrency: 5,
      ratePerS: 4,
      cache: false,
    });
    expect(() => suitePlan(suite, 0, { stratify: 'label' })).toThrow(/stratifying needs a sample size/);
    expect(() => suitePlan(suite, 0, { ratePerS: -1 })).toThrow(/not positive/);
  });
});

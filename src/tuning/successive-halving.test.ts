import { describe, expect, it } from 'vitest';
import { gridConfigurations, randomConfigurations, spaceSize } from './search-space.js';
import { halvingRungs, paretoRanks, rankedOrder } from './successive-halving.js';
import { suiteVariant } from './suite-variant.js';

describe('search space', () => {
  const space = { temperature: [0, 0.5, 1], max_tokens: [2, 8] };

  it('enumerates the grid, the last parameter fastest', () => {
    expect(spaceSize(space)).toBe(6n);
    expect(gridConfigurations(space).slice(0, 3)).toEqual([
      { temperature: 0, max_tokens: 2 },
      { temperature: 0, max_tokens: 8 },
      { temperature: 0.5, max_tokens: 2 },
    ]);
  });

  it('draws distinct configurations at random, the same for the same seed', () => {
    const drawn = randomConfigurations(space, 4, 7);
    expect(drawn).toHaveLength(4);
    expect(new Set(drawn.map((c) => JSON.stringify(c))).size).toBe(4);
    expect(randomConfigurations(space, 4, 7)).toEqual(drawn);
    expect(randomConfigurations(space, 10, 7)).toEqual(gridConfigurations(space));
  });

  it('sets aliases and dotted paths in a copy of the suite, narrowed to one renamed target', () => {
    const suite = {
      prompt: { text: 'Q: {{q}}', body: {} },
      targets: [
        { kind: 'openai-chat', name: 'small', model: 's' },
        { kind: 'openai-chat', name: 'large', model: 'l' },
      ],
    };
    const variant = suiteVariant(
      suite,
      { target: 'large', temperature: 0.5, max_tokens: 8, template: 'A: {{q}}', 'prompt.body.seed': 3 },
      'trial 2',
      null,
    );
    expect(variant).toEqual({
      prompt: { text: 'A: {{q}}', body: { temperature: 0.5, seed: 3 }, maxTokens: 8 },
      targets: [{ kind: 'openai-chat', name: 'trial 2', model: 'l' }],
    });
    expect(suite.prompt.body).toEqual({});
    expect(() => suiteVariant(suite, { target: 'huge' }, 't', null)).toThrow("target 'huge' is not one of");
    expect(() => suiteVariant(suite, { 'prompt.text.x': 1 }, 't', null)).toThrow('is not a mapping');
  });
});

describe('successive halving', () => {
  it('keeps 1/eta per rung on eta times the cases, ending with every case', () => {
    expect(halvingRungs(12, 24, { minCases: 6, eta: 2, finalists: 3 })).toEqual([
      { cases: 6, configurations: 12 },
      { cases: 12, configurations: 6 },
      { cases: 24, configurations: 3 },
    ]);
    expect(halvingRungs(27, 100, { minCases: 5, eta: 3, finalists: 1 })).toEqual([
      { cases: 5, configurations: 27 },
      { cases: 15, configurations: 9 },
      { cases: 45, configurations: 3 },
      { cases: 100, configurations: 1 },
    ]);
    expect(halvingRungs(4, 10, { minCases: 20, eta: 2, finalists: 1 })).toEqual([{ cases: 10, configurations: 4 }]);
  });

  it('ranks by Pareto rank, then by the first objective', () => {
    const objectives = [
      { name: 'accuracy', better: 'higher' as const },
      { name: 'p95', better: 'lower' as const },
    ];
    // (1.0, 50) and (0.8, 10) are on the frontier; (0.7, 60) is dominated by both; (0.8, 20) by (0.8, 10) only.
    const points = [
      [0.7, 60],
      [0.8, 20],
      [1.0, 50],
      [0.8, 10],
    ];
    expect(paretoRanks(points, objectives)).toEqual([3, 2, 1, 1]);
    expect(rankedOrder(points, objectives)).toEqual([2, 3, 1, 0]);
  });
});

import { describe, expect, it } from 'vitest';
import { expectClose, readReference } from '../../test/helpers/reference.js';
import { clopperPearsonInterval, wilsonInterval } from './proportion-intervals.js';

interface IntervalCase {
  successes: number;
  trials: number;
  confidence: number;
  wilson: [number, number];
  clopperPearson: [number, number];
}

const reference = readReference<{ cases: IntervalCase[] }>('proportion-intervals.json');

describe('proportion intervals equal scipy', () => {
  it.each(reference.cases.map((c) => [`${c.successes}/${c.trials} at ${c.confidence}`, c] as const))(
    '%s',
    (_name, c) => {
      const wilson = wilsonInterval(c.successes, c.trials, c.confidence);
      expectClose(wilson.low, c.wilson[0], 'wilson low');
      expectClose(wilson.high, c.wilson[1], 'wilson high');
      const exact = clopperPearsonInterval(c.successes, c.trials, c.confidence);
      expectClose(exact.low, c.clopperPearson[0], 'clopper-pearson low');
      expectClose(exact.high, c.clopperPearson[1], 'clopper-pearson high');
    },
  );

  it('refuses impossible counts with a usage error', () => {
    expect(() => wilsonInterval(5, 3)).toThrow(/successes must be an integer in \[0, 3\]/);
    expect(() => clopperPearsonInterval(0, 0)).toThrow(/trials must be a positive integer/);
    expect(() => wilsonInterval(1, 2, 1.5)).toThrow(/confidence must be in \(0, 1\)/);
  });
});

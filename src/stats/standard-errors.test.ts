import { describe, expect, it } from 'vitest';
import { standardErrorOfMean, standardErrorOfProportion } from './standard-errors.js';

describe('standard errors', () => {
  it('of a proportion', () => {
    expect(standardErrorOfProportion(30, 100)).toBeCloseTo(Math.sqrt(0.21 / 100), 15);
    expect(standardErrorOfProportion(0, 10)).toBe(0);
    expect(() => standardErrorOfProportion(11, 10)).toThrow(/cannot take 11 successes/);
  });

  it("of a mean, as scipy's sem (worked example: sem([1, 2, 3, 4, 5]) = √2.5/√5)", () => {
    expect(standardErrorOfMean([1, 2, 3, 4, 5])).toBeCloseTo(Math.sqrt(2.5) / Math.sqrt(5), 15);
    expect(standardErrorOfMean([4])).toBeNaN();
  });
});

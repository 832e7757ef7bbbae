import { describe, expect, it } from 'vitest';
import { linearTrend } from './linear-trend.js';

describe('linear trend', () => {
  it('matches scipy.stats.linregress (slope, intercept, stderr) and its t interval', () => {
    // scipy: linregress([1,2,3,4,5,6], [2.1,3.9,6.2,7.8,10.1,12.2]) → slope 2.0199999999999996,
    // intercept -0.019999999999998685, stderr 0.04276179870599006; t.ppf(0.975, 4) = 2.7764451051977987.
    const trend = linearTrend([1, 2, 3, 4, 5, 6], [2.1, 3.9, 6.2, 7.8, 10.1, 12.2]);
    expect(trend?.slope).toBeCloseTo(2.0199999999999996, 12);
    expect(trend?.intercept).toBeCloseTo(-0.019999999999998685, 12);
    expect(trend?.slopeStandardError).toBeCloseTo(0.04276179870599006, 12);
    expect(trend?.slopeInterval[0]).toBeCloseTo(2.0199999999999996 - 2.7764451051977987 * 0.04276179870599006, 9);
  });

  it('has no trend with fewer than three points or no spread in x', () => {
    expect(linearTrend([1, 2], [1, 2])).toBeNull();
    expect(linearTrend([3, 3, 3], [1, 2, 3])).toBeNull();
  });
});

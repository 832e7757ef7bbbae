/** Intervals, tests and effect sizes, checked against scipy: `import { … } from 'yardstick/stats'`. */
export { clopperPearsonInterval, wilsonInterval, type Interval } from '../stats/proportion-intervals.js';
export { bootstrapBca, bootstrapPercentile, bootstrapPercentiles } from '../stats/bootstrap.js';
export {
  benjaminiHochbergAdjust,
  holmAdjust,
  mannWhitneyU,
  mcNemar,
  welchTTest,
  type TestResult,
} from '../stats/comparisons.js';
export * from '../stats/distribution-tests.js';
export { ksTwoSample, type KsResult } from '../stats/ks-two-sample.js';
export { pairedBootstrap, pairedPermutationTest, type PairedMetric, type PairedResult } from '../stats/paired-tests.js';
export { cohensH, minimumDetectableProportion, powerTwoProportions, requiredSampleSize } from '../stats/sample-size.js';
export { standardErrorOfMean, standardErrorOfProportion } from '../stats/standard-errors.js';

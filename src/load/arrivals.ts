import { NS_PER_MS, NS_PER_S } from '../core/clock.js';
import { exponential, seededRandom } from '../core/random.js';
import { gammaDraw } from '../stats/gamma.js';

/** A stage of a ramp: the rate moves linearly to `targetPerS` over `durationMs` (k6's `stages`). */
export interface RateStage {
  durationMs: number;
  targetPerS: number;
}

/**
 * How requests arrive in an open loop: evenly spaced, Poisson, gamma with a burstiness factor (vLLM's definition:
 * gaps ~ Gamma(shape = burstiness, scale = 1 / (rate · burstiness)), so the mean rate holds, the gaps' coefficient of
 * variation is 1/√burstiness, and 1 is Poisson), or ramped through stages, evenly spaced or Poisson.
 */
export type ArrivalProcess =
  | { kind: 'constant' }
  | { kind: 'poisson' }
  | { kind: 'gamma'; burstiness: number }
  | { kind: 'stages'; startPerS: number; stages: RateStage[]; poisson: boolean };

/**
 * The time (ns from the start) at which a ramp's expected arrivals reach `count`, or null past its last stage: each
 * stage's area is a quadratic in the time spent in it, solved for the remainder.
 */
export function rampTimeNs(startPerS: number, stages: readonly RateStage[], count: number): number | null {
  let remaining = count;
  let from = startPerS;
  let at = 0;
  for (const stage of stages) {
    const lengthNs = stage.durationMs * NS_PER_MS;
    const stageArea = ((from + stage.targetPerS) / 2) * (lengthNs / NS_PER_S);
    if (remaining <= stageArea && lengthNs > 0) {
      // from·s + (to − from)·s²/(2L) = remaining, with s in seconds.
      const lengthS = lengthNs / NS_PER_S;
      const a = (stage.targetPerS - from) / (2 * lengthS);
      const s =
        Math.abs(a) < 1e-12
          ? remaining / from
          : (-from + Math.sqrt(Math.max(0, from * from + 4 * a * remaining))) / (2 * a);
      return at + Math.min(lengthS, Math.max(0, s)) * NS_PER_S;
    }
    remaining -= stageArea;
    at += lengthNs;
    from = stage.targetPerS;
  }
  return null;
}

/** The mean rate of a ramp over its whole length (requests per second): the area under its rate over its length. */
export function rampMeanRatePerS(startPerS: number, stages: readonly RateStage[]): number {
  let area = 0;
  let from = startPerS;
  for (const stage of stages) {
    area += ((from + stage.targetPerS) / 2) * (stage.durationMs / 1000);
    from = stage.targetPerS;
  }
  const totalS = stages.reduce((sum, s) => sum + s.durationMs, 0) / 1000;
  return totalS === 0 ? 0 : area / totalS;
}

/**
 * Intended send times of an open loop as absolute deadlines from `startAt`, for the arrivals that belong to one
 * shard (every `shardCount`-th, starting at `shardIndex`). Every shard draws the same seeded sequence, so the
 * union of the shards is exactly the single-threaded schedule. Yields [arrival index, intended time in ns]; a ramp
 * ends after its last stage. A ramp places arrival k where its expected arrivals reach k (evenly spaced in
 * expectation), or, Poisson, where they reach a running sum of unit exponentials (the time-rescaling of a Poisson
 * process with that rate).
 */
export function* arrivals(
  process: ArrivalProcess,
  ratePerS: number,
  seed: number,
  startAt: number,
  shardIndex: number,
  shardCount: number,
): Generator<[number, number]> {
  const meanGapNs = NS_PER_S / ratePerS;
  const random = seededRandom(seed);
  let at = startAt;
  let expected = 0;
  for (let k = 0; ; k += 1) {
    switch (process.kind) {
      case 'constant':
        at = startAt + k * meanGapNs;
        break;
      case 'poisson':
        if (k > 0) at += exponential(random, meanGapNs);
        break;
      case 'gamma':
        if (k > 0) at += gammaDraw(random, process.burstiness) * (meanGapNs / process.burstiness);
        break;
      case 'stages': {
        expected = process.poisson ? expected + exponential(random, 1) : k + 0.5;
        const offset = rampTimeNs(process.startPerS, process.stages, expected);
        if (offset === null) return;
        at = startAt + offset;
        break;
      }
    }
    if (k % shardCount === shardIndex) yield [k, at];
  }
}

import { NS_PER_S } from '../core/clock.js';
import { exponential, seededRandom } from '../core/random.js';

/**
 * Intended send times of an open loop as absolute deadlines from `startAt`, for the arrivals that belong to one
 * shard (every `shardCount`-th, starting at `shardIndex`). Every shard draws the same seeded sequence, so the
 * union of the shards is exactly the single-threaded schedule. Yields [arrival index, intended time in ns].
 */
export function* arrivals(
  kind: 'constant' | 'poisson',
  ratePerS: number,
  seed: number,
  startAt: number,
  shardIndex: number,
  shardCount: number,
): Generator<[number, number]> {
  const meanGapNs = NS_PER_S / ratePerS;
  const random = seededRandom(seed);
  let at = startAt;
  for (let k = 0; ; k += 1) {
    if (kind === 'constant') at = startAt + k * meanGapNs;
    else if (k > 0) at += exponential(random, meanGapNs);
    if (k % shardCount === shardIndex) yield [k, at];
  }
}

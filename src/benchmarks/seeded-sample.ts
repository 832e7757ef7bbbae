import { createHash } from 'node:crypto';
import { seededRandom } from '../core/random.js';

/**
 * `n` distinct items drawn from `pool` by a PRNG seeded from `key` (a partial Fisher–Yates shuffle): the same key
 * draws the same examples on every machine, and different documents draw different ones.
 */
export function seededSample<T>(pool: readonly T[], n: number, key: string): T[] {
  const seed = createHash('sha256').update(key).digest().readUInt32LE(0);
  const random = seededRandom(seed);
  const items = [...pool];
  const count = Math.min(n, items.length);
  for (let i = 0; i < count; i += 1) {
    const j = i + Math.floor(random() * (items.length - i));
    const picked = items[j] as T;
    items[j] = items[i] as T;
    items[i] = picked;
  }
  return items.slice(0, count);
}

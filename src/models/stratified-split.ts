import { createHash } from 'node:crypto';
import { seededRandom } from '../core/random.js';
import type { DatasetSplits, LabeledExample } from './labeled-dataset.js';

export interface SplitFractions {
  validation: number;
  test: number;
}

export const DEFAULT_SPLIT: SplitFractions = { validation: 0.2, test: 0.2 };

/** The text that decides whether two inputs are the same: case and runs of white space aside. */
export function inputKey(input: string): string {
  return createHash('sha1').update(input.replace(/\s+/g, ' ').trim().toLowerCase()).digest('hex');
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/**
 * Splits examples into train, validation and test, seeded and stratified by label, without leaks: examples whose
 * inputs are the same (case and white space aside) form one group and land in one split together. Each label's
 * groups are shuffled and cut by the fractions, so every split keeps the label shares (up to rounding).
 */
export function stratifiedSplit(
  examples: readonly LabeledExample[],
  fractions: SplitFractions,
  seed: number,
): DatasetSplits {
  const groups = new Map<string, LabeledExample[]>();
  for (const example of examples) {
    const key = inputKey(example.input);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [example]);
    else group.push(example);
  }
  const byLabel = new Map<string, LabeledExample[][]>();
  for (const group of groups.values()) {
    const label = (group[0] as LabeledExample).label;
    byLabel.set(label, [...(byLabel.get(label) ?? []), group]);
  }
  const random = seededRandom(seed);
  const splits: DatasetSplits = { train: [], validation: [], test: [] };
  for (const label of [...byLabel.keys()].sort()) {
    const shuffled = shuffle(byLabel.get(label) ?? [], random);
    const testCount = Math.round(shuffled.length * fractions.test);
    const validationCount = Math.round(shuffled.length * fractions.validation);
    shuffled.forEach((group, i) => {
      const split = i < testCount ? splits.test : i < testCount + validationCount ? splits.validation : splits.train;
      split.push(...group);
    });
  }
  // Back to the dataset's order, so a split reads like the file it came from.
  const position = new Map(examples.map((e, i) => [e, i]));
  for (const split of [splits.train, splits.validation, splits.test])
    split.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
  return splits;
}

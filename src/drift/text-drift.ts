import { jensenShannonDistance } from '../stats/distribution-tests.js';
import { columnDrift, defaultTest, DEFAULT_THRESHOLDS, type ColumnDriftResult } from './column-drift.js';
import { distinctUpTo, numericValues, type ColumnValues } from '../data/column-types.js';

/** Tokens of the vocabulary compared; rarer ones are pooled. */
const VOCABULARY_SIZE = 1000;

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== '');
}

export interface TextDrift {
  /** Drift of the number of words per value. */
  length: ColumnDriftResult;
  /** Jensen–Shannon distance between the word frequencies (the reference's 1,000 most frequent words, the rest pooled). */
  vocabularyDistance: number;
  /** Share of the current values' words never seen in the reference. */
  outOfVocabularyRate: number;
  referenceVocabulary: number;
}

/** A text column's drift: of its lengths, of its vocabulary, and the current data's out-of-vocabulary rate. */
export function textDrift(reference: ColumnValues, current: ColumnValues): TextDrift {
  const referenceTokens = reference.texts.map(tokens);
  const currentTokens = current.texts.map(tokens);
  const lengths = (all: string[][], side: ColumnValues): ColumnValues =>
    numericValues(
      Float64Array.from(all, (t) => t.length),
      side.missing,
      side.rows,
    );
  const refLengths = lengths(referenceTokens, reference);
  const curLengths = lengths(currentTokens, current);
  const distinct = distinctUpTo(refLengths.numbers, 6);
  const lengthTest = defaultTest('numeric', refLengths.numbers.length, distinct);
  const length = columnDrift(refLengths, curLengths, 'numeric', lengthTest, DEFAULT_THRESHOLDS[lengthTest]);
  const frequency = new Map<string, number>();
  for (const list of referenceTokens) for (const t of list) frequency.set(t, (frequency.get(t) ?? 0) + 1);
  const top = [...frequency.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, VOCABULARY_SIZE)
    .map(([t]) => t);
  const index = new Map(top.map((t, i) => [t, i]));
  const count = (all: string[][]): Float64Array => {
    const out = new Float64Array(top.length + 1);
    for (const list of all) {
      for (const t of list) {
        const at = index.get(t) ?? top.length;
        out[at] = (out[at] as number) + 1;
      }
    }
    return out;
  };
  const refCounts = count(referenceTokens);
  const curCounts = count(currentTokens);
  let unseen = 0;
  let total = 0;
  for (const list of currentTokens) {
    for (const t of list) {
      total += 1;
      if (!frequency.has(t)) unseen += 1;
    }
  }
  const empty = refCounts.every((c) => c === 0) || curCounts.every((c) => c === 0);
  return {
    length,
    vocabularyDistance: empty ? Number.NaN : jensenShannonDistance(refCounts, curCounts),
    outOfVocabularyRate: total === 0 ? 0 : unseen / total,
    referenceVocabulary: frequency.size,
  };
}

/** How the vocabulary is chosen among words in at least `minDocuments` training documents. */
export type TermSelection = 'frequency' | 'chi2';

export interface VocabularyOptions {
  maxTerms: number;
  minDocuments: number;
  selection: TermSelection;
}

/**
 * Chi-square score of each word's presence against the class: Σ_c (O − E)² / E over classes, with O the training
 * documents of class c that contain the word and E = df · n_c / N.
 */
function chiSquareScores(
  documentFrequency: Map<string, number[]>,
  classSizes: readonly number[],
  total: number,
): Map<string, number> {
  const scores = new Map<string, number>();
  for (const [term, perClass] of documentFrequency) {
    const df = perClass.reduce((a, b) => a + b, 0);
    let score = 0;
    perClass.forEach((observed, c) => {
      const expected = (df * (classSizes[c] ?? 0)) / total;
      if (expected > 0) score += (observed - expected) ** 2 / expected;
    });
    scores.set(term, score);
  }
  return scores;
}

/**
 * A vocabulary learnt from training documents only, and the vectors over it: word counts, and TF-IDF with
 * scikit-learn's smooth idf (ln((1 + N) / (1 + df)) + 1) and unit L2 norm.
 */
export class TextVocabulary {
  private readonly index: Map<string, number>;

  private constructor(
    readonly terms: readonly string[],
    private readonly idf: Float64Array,
  ) {
    this.index = new Map(terms.map((term, i) => [term, i]));
  }

  /** Learns the vocabulary from tokenized training documents and their class indices. */
  static fit(
    documents: readonly string[][],
    classes: readonly number[],
    classCount: number,
    options: VocabularyOptions,
  ): TextVocabulary {
    const documentFrequency = new Map<string, number[]>();
    const classSizes = new Array<number>(classCount).fill(0);
    documents.forEach((tokens, d) => {
      const c = classes[d] ?? 0;
      classSizes[c] = (classSizes[c] ?? 0) + 1;
      for (const term of new Set(tokens)) {
        let perClass = documentFrequency.get(term);
        if (perClass === undefined) {
          perClass = new Array<number>(classCount).fill(0);
          documentFrequency.set(term, perClass);
        }
        perClass[c] = (perClass[c] ?? 0) + 1;
      }
    });
    const frequent = new Map(
      [...documentFrequency].filter(([, perClass]) => perClass.reduce((a, b) => a + b, 0) >= options.minDocuments),
    );
    const scores =
      options.selection === 'chi2'
        ? chiSquareScores(frequent, classSizes, documents.length)
        : new Map([...frequent].map(([t, p]) => [t, p.reduce((a, b) => a + b, 0)]));
    const terms = [...scores.keys()]
      .sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, options.maxTerms);
    const n = documents.length;
    const idf = Float64Array.from(
      terms,
      (term) => Math.log((1 + n) / (1 + (frequent.get(term) ?? []).reduce((a, b) => a + b, 0))) + 1,
    );
    return new TextVocabulary(terms, idf);
  }

  get size(): number {
    return this.terms.length;
  }

  /** How often each vocabulary word occurs in the tokens. */
  counts(tokens: readonly string[]): Float64Array {
    const vector = new Float64Array(this.terms.length);
    for (const token of tokens) {
      const k = this.index.get(token);
      if (k !== undefined) vector[k] = (vector[k] ?? 0) + 1;
    }
    return vector;
  }

  /** TF-IDF of the tokens, scaled to unit length (all zeros when no word is in the vocabulary). */
  tfidf(tokens: readonly string[]): Float64Array {
    const vector = this.counts(tokens);
    let squares = 0;
    for (let k = 0; k < vector.length; k += 1) {
      const value = (vector[k] ?? 0) * (this.idf[k] ?? 0);
      vector[k] = value;
      squares += value * value;
    }
    const norm = Math.sqrt(squares);
    if (norm > 0) for (let k = 0; k < vector.length; k += 1) vector[k] = (vector[k] ?? 0) / norm;
    return vector;
  }
}

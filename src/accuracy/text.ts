/**
 * Text metrics: SQuAD-style exact match and token F1, ROUGE-N and ROUGE-L, and corpus BLEU with the usual
 * smoothing methods (BLEU checked against NLTK 3.8's corpus_bleu; the others against published worked examples).
 */

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const ARTICLES = /\b(a|an|the)\b/g;

/** SQuAD's answer normalization: lower case, drop ASCII punctuation, drop the articles a/an/the, collapse whitespace. */
export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(PUNCTUATION, '')
    .replace(ARTICLES, ' ')
    .split(/\s+/)
    .filter((t) => t !== '')
    .join(' ');
}

/** 1 when the normalized prediction equals any normalized gold answer, else 0. */
export function exactMatch(prediction: string, golds: readonly string[]): number {
  const p = normalizeAnswer(prediction);
  return golds.some((g) => normalizeAnswer(g) === p) ? 1 : 0;
}

function counts<T>(items: readonly T[]): Map<T, number> {
  const map = new Map<T, number>();
  for (const item of items) map.set(item, (map.get(item) ?? 0) + 1);
  return map;
}

function overlap<T>(a: Map<T, number>, b: Map<T, number>): number {
  let shared = 0;
  for (const [key, n] of a) shared += Math.min(n, b.get(key) ?? 0);
  return shared;
}

function tokenF1Against(prediction: string, gold: string): number {
  const p = normalizeAnswer(prediction)
    .split(' ')
    .filter((t) => t !== '');
  const g = normalizeAnswer(gold)
    .split(' ')
    .filter((t) => t !== '');
  // An empty answer matches only an empty answer (SQuAD 2.0's rule for unanswerable questions).
  if (p.length === 0 || g.length === 0) return p.length === g.length ? 1 : 0;
  const same = overlap(counts(p), counts(g));
  if (same === 0) return 0;
  const precision = same / p.length;
  const recall = same / g.length;
  return (2 * precision * recall) / (precision + recall);
}

/** SQuAD token F1: the best F1 of the normalized tokens against any gold answer. */
export function tokenF1(prediction: string, golds: readonly string[]): number {
  return golds.reduce((best, g) => Math.max(best, tokenF1Against(prediction, g)), 0);
}

/** ROUGE's tokenization: lower case, anything but letters and digits separates tokens. */
export function rougeTokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((t) => t !== '');
}

export interface PrecisionRecallF {
  precision: number;
  recall: number;
  f: number;
}

function prf(matches: number, candidateCount: number, referenceCount: number): PrecisionRecallF {
  const precision = candidateCount === 0 ? 0 : matches / candidateCount;
  const recall = referenceCount === 0 ? 0 : matches / referenceCount;
  return { precision, recall, f: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

function ngrams(tokens: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= tokens.length; i += 1) out.push(tokens.slice(i, i + n).join('\u0000'));
  return out;
}

/** ROUGE-N of a candidate against one reference: clipped n-gram overlap as precision, recall and F1. */
export function rougeN(candidate: string, reference: string, n: number): PrecisionRecallF {
  const c = ngrams(rougeTokens(candidate), n);
  const r = ngrams(rougeTokens(reference), n);
  return prf(overlap(counts(c), counts(r)), c.length, r.length);
}

function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i += 1) {
    const current = new Uint32Array(b.length + 1);
    for (let j = 1; j <= b.length; j += 1) {
      current[j] =
        a[i - 1] === b[j - 1]
          ? (previous[j - 1] as number) + 1
          : Math.max(previous[j] as number, current[j - 1] as number);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** ROUGE-L of a candidate against one reference: the longest common subsequence as precision, recall and F1. */
export function rougeL(candidate: string, reference: string): PrecisionRecallF {
  const c = rougeTokens(candidate);
  const r = rougeTokens(reference);
  return prf(lcsLength(c, r), c.length, r.length);
}

export type BleuSmoothing = 'none' | 'epsilon' | 'add-one' | 'exponential';

/** The smallest positive normal double: NLTK puts it in place of a zero precision without smoothing. */
const DOUBLE_MIN = 2.2250738585072014e-308;

/**
 * Corpus BLEU (Papineni et al.): clipped n-gram matches and n-gram counts summed over the corpus before dividing,
 * the brevity penalty from the summed hypothesis lengths and the summed lengths of each hypothesis' closest
 * reference (the shorter on a tie), uniform weights up to `maxOrder`. Smoothing as NLTK's methods 0–3:
 * `none` (a zero precision becomes the smallest double), `epsilon` (0.1 added to zero match counts), `add-one`
 * (1 added to matches and counts from bigrams up), `exponential` (the k-th zero precision becomes 1/(2ᵏ·count)).
 * Tokens are given; to score raw text, split it first.
 */
export function corpusBleu(
  references: readonly (readonly (readonly string[])[])[],
  hypotheses: readonly (readonly string[])[],
  options: { maxOrder?: number; smoothing?: BleuSmoothing } = {},
): number {
  const maxOrder = options.maxOrder ?? 4;
  const smoothing = options.smoothing ?? 'none';
  const matches = new Float64Array(maxOrder);
  const totals = new Float64Array(maxOrder);
  let hypothesisLength = 0;
  let referenceLength = 0;
  hypotheses.forEach((hypothesis, s) => {
    const refs = references[s] ?? [];
    for (let n = 1; n <= maxOrder; n += 1) {
      const hyp = counts(ngrams(hypothesis, n));
      const best = new Map<string, number>();
      for (const ref of refs)
        for (const [gram, count] of counts(ngrams(ref, n))) best.set(gram, Math.max(best.get(gram) ?? 0, count));
      let hypCount = 0;
      for (const count of hyp.values()) hypCount += count;
      matches[n - 1] = (matches[n - 1] as number) + overlap(hyp, best);
      totals[n - 1] = (totals[n - 1] as number) + Math.max(1, hypCount);
    }
    hypothesisLength += hypothesis.length;
    referenceLength += refs
      .map((r) => r.length)
      .reduce((closest, len) => {
        const better =
          Math.abs(len - hypothesis.length) < Math.abs(closest - hypothesis.length) ||
          (Math.abs(len - hypothesis.length) === Math.abs(closest - hypothesis.length) && len < closest);
        return better ? len : closest;
      }, refs[0]?.length ?? 0);
  });
  if (matches[0] === 0) return 0;
  let zeroIndex = 0;
  const precisions = Array.from(matches, (m, i) => {
    const total = totals[i] as number;
    if (smoothing === 'add-one' && i > 0) return (m + 1) / (total + 1);
    if (m > 0) return m / total;
    if (smoothing === 'epsilon') return 0.1 / total;
    if (smoothing === 'exponential') {
      zeroIndex += 1;
      return 1 / (2 ** zeroIndex * total);
    }
    return DOUBLE_MIN;
  });
  const brevity =
    hypothesisLength > referenceLength
      ? 1
      : hypothesisLength === 0
        ? 0
        : Math.exp(1 - referenceLength / hypothesisLength);
  const logSum = precisions.reduce((s, p) => s + Math.log(p) / maxOrder, 0);
  return brevity * Math.exp(logSum);
}

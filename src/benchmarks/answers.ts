/** Reading a model's answer as one of a task's choices: strictly in `choice` mode, by an extraction pattern in `generate` mode. */

const WRAPPERS = /^[\s"'`*_([{]+|[\s"'`*_)\]}.,:;!]+$/g;
const ANSWER_PREFIX = /^(?:the\s+)?(?:final\s+)?answer\s*(?:is)?\s*[:-]?\s*/i;

function strip(text: string): string {
  return text.trim().replace(ANSWER_PREFIX, '').replace(WRAPPERS, '');
}

/**
 * The index of the label an answer names, or null. Strict: after dropping an `Answer:` prefix, surrounding quotes,
 * asterisks, brackets and trailing punctuation, the answer must be exactly one label (case-insensitive, an exact-case
 * match winning a tie). `B`, `**B**`, `(B)`, `Answer: B.` name B; `B. Paris`, `I think B` and `B or C` name none.
 */
export function parseStrictChoice(answer: string, labels: readonly string[]): number | null {
  const text = strip(answer);
  if (text === '') return null;
  const exact = labels.indexOf(text);
  if (exact >= 0) return exact;
  const lower = text.toLowerCase();
  const index = labels.findIndex((l) => l.toLowerCase() === lower);
  return index >= 0 ? index : null;
}

/** The answer of a completions target in `choice` mode: it keeps writing after the label, so only the first line counts. */
export function firstLine(answer: string): string {
  return answer.trimStart().split('\n')[0] ?? '';
}

/** The default `generate` extraction: the word after "answer"/"answer is" (e.g. "The answer is (C)"); else the whole output. */
export const DEFAULT_EXTRACT = /answer\s*(?:is)?\s*[:-]?\s*[("'*]*([^\s()"'*.,:;!?]+)/i;

/**
 * The index of the label a free-text answer gives: the pattern's first capture group (or whole match) parsed strictly;
 * with no match, the whole output parsed strictly. Null when neither names a label.
 */
export function extractChoice(answer: string, labels: readonly string[], pattern: RegExp): number | null {
  const match = pattern.exec(answer);
  if (match !== null) {
    const picked = parseStrictChoice(match[1] ?? match[0], labels);
    if (picked !== null) return picked;
  }
  return parseStrictChoice(answer, labels);
}

const NUMBER = /-?\d+(?:\.\d+)?/;

/** A similarity on the 0–5 scale from an answer: the whole answer strictly (`choice`), or its first number (`generate`); null outside the scale. */
export function parseScaleValue(answer: string, strict: boolean): number | null {
  const text = strict ? strip(answer) : (NUMBER.exec(answer)?.[0] ?? '');
  if (!/^-?\d+(?:\.\d+)?$/.test(text)) return null;
  const value = Number(text);
  return value >= 0 && value <= 5 ? value : null;
}

/** Index of the largest value, the first on ties (numpy's argmax); null for an empty list. */
export function argmax(values: readonly number[]): number | null {
  let best: number | null = null;
  for (let i = 0; i < values.length; i += 1)
    if (best === null || (values[i] as number) > (values[best] as number)) best = i;
  return best;
}

/** The expected scale point under the softmax of the choices' log-probabilities (STS-B in `loglikelihood` mode). */
export function expectedScaleValue(logprobs: readonly number[], points: readonly number[]): number {
  const top = Math.max(...logprobs);
  const weights = logprobs.map((l) => Math.exp(l - top));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.reduce((sum, w, i) => sum + (w / total) * (points[i] ?? 0), 0);
}

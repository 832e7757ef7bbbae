import { z } from 'zod';
import { scorerCommon } from './scorer-fields.js';
import { passFail, type LabelReader, type Score, type ScoreInput, type Scorer } from './scorer.js';
import { wrongType, type ScorerKind } from './scorer-kind.js';

export const choiceScorerConfig = z.strictObject({
  type: z.literal('choice'),
  choices: z.array(z.string().min(1)).min(2),
  /** first: the first choice named anywhere; strict: the whole answer must be a choice (case and punctuation aside). */
  extract: z.enum(['strict', 'first']).default('first'),
  ...scorerCommon,
});

/** The configs of the scorer types this file defines, for the suite schema (`scorer-schema.ts`). */
export const choiceScorerConfigs = [choiceScorerConfig] as const;

function normalize(text: string): string {
  return text
    .trim()
    .replace(/^[\s"'`(*[]+|[\s"'`).,:;!?*\]]+$/g, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Extracts one of a fixed set of labels from an answer. `strict`: the whole answer, trimmed of quotes, brackets
 * and end punctuation, must be a choice (case ignored). `first`: the choice named earliest in the answer, as a
 * whole word (case ignored, except for one-character choices such as `A`, so the article "a" is not read as
 * choice A); at the same position the longer choice wins.
 */
export class ChoiceExtractor {
  private readonly patterns: { choice: string; pattern: RegExp }[];
  private readonly byNormal: Map<string, string>;

  constructor(
    readonly choices: readonly string[],
    private readonly mode: 'strict' | 'first',
  ) {
    this.byNormal = new Map(choices.map((c) => [normalize(c), c]));
    this.patterns = choices.map((choice) => ({
      choice,
      pattern: new RegExp(
        `(?<![\\p{L}\\p{N}_])${escapeRegex(choice)}(?![\\p{L}\\p{N}_])`,
        choice.length === 1 ? 'u' : 'iu',
      ),
    }));
  }

  extract(answer: string): string | null {
    if (this.mode === 'strict') return this.byNormal.get(normalize(answer)) ?? null;
    let best: { choice: string; at: number } | null = null;
    for (const { choice, pattern } of this.patterns) {
      const match = pattern.exec(answer);
      if (match === null) continue;
      if (best === null || match.index < best.at || (match.index === best.at && choice.length > best.choice.length))
        best = { choice, at: match.index };
    }
    return best?.choice ?? null;
  }

  /** The choice an expected answer names, matched the same way; null when it is not one of the choices. */
  canonical(expected: string): string | null {
    return this.byNormal.get(normalize(expected)) ?? null;
  }
}

/** Extracts a label from the answer and compares it with the expected one; an answer naming no choice is wrong. */
export class ChoiceScorer implements Scorer {
  readonly type = 'choice';
  constructor(
    readonly name: string,
    readonly weight: number,
    readonly extractor: ChoiceExtractor,
  ) {}

  get labels(): LabelReader {
    return this.extractor;
  }

  score({ evalCase, response }: ScoreInput): Score {
    const label = this.extractor.extract(response.output);
    const expected = evalCase.expected.map((e) => this.extractor.canonical(e) ?? e);
    if (label === null)
      return { ...passFail(false, `names none of ${this.extractor.choices.join(', ')}`), details: { label: null } };
    if (expected.length === 0)
      return { value: null, pass: null, explanation: `answered '${label}' (no expected label)`, details: { label } };
    const pass = expected.includes(label);
    return {
      ...passFail(pass, pass ? `'${label}'` : `'${label}', expected '${expected[0] ?? ''}'`),
      details: { label },
    };
  }
}

/** `choice`: the label an answer names among the choices; the suite's first is its label scorer. */
export const choiceScorerKind: ScorerKind = {
  types: ['choice'],
  build: (config, { name, needsExpected }) => {
    if (config.type !== 'choice') return wrongType('choice', config);
    needsExpected();
    return { scorer: new ChoiceScorer(name, config.weight, new ChoiceExtractor(config.choices, config.extract)) };
  },
};

import { z } from 'zod';
import { scorerCommon } from './scorer-fields.js';
import { rougeL, tokenF1 } from '../../accuracy/text.js';
import { passFail, unscored, type Score, type ScoreInput, type Scorer } from './scorer.js';
import type { ReferenceAnswers } from './reference.js';
import { messageOf } from '../../core/errors.js';
import { wrongType, type ScorerKind } from './scorer-kind.js';

export const equalsScorerConfig = z.strictObject({
  type: z.literal('equals'),
  value: z.string().optional(),
  ignoreCase: z.boolean().default(false),
  trim: z.boolean().default(true),
  ...scorerCommon,
});
export const containsScorerConfig = z.strictObject({
  type: z.enum(['contains', 'icontains']),
  value: z.string().optional(),
  ...scorerCommon,
});
export const regexScorerConfig = z.strictObject({
  type: z.literal('regex'),
  pattern: z.string().min(1),
  flags: z.string().default(''),
  ...scorerCommon,
});
export const lengthScorerConfig = z.strictObject({
  type: z.literal('length'),
  min: z.number().int().nonnegative().optional(),
  max: z.number().int().positive().optional(),
  unit: z.enum(['chars', 'words']).default('chars'),
  ...scorerCommon,
});
export const similarityScorerConfig = z.strictObject({
  type: z.literal('similarity'),
  metric: z.enum(['token-f1', 'rouge-l']).default('token-f1'),
  value: z.string().optional(),
  min: z.number().min(0).max(1),
  ...scorerCommon,
});

/** The configs of the scorer types this file defines, for the suite schema (`scorer-schema.ts`). */
export const textScorerConfigs = [
  equalsScorerConfig,
  containsScorerConfig,
  regexScorerConfig,
  lengthScorerConfig,
  similarityScorerConfig,
] as const;

function clip(text: string, chars = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > chars ? `${flat.slice(0, chars - 1)}…` : flat;
}

/** The output equals one of the reference answers (trimmed, optionally ignoring case). */
export class EqualsScorer implements Scorer {
  readonly type = 'equals';
  constructor(
    readonly name: string,
    readonly weight: number,
    private readonly reference: ReferenceAnswers,
    private readonly options: { ignoreCase: boolean; trim: boolean },
  ) {}

  score({ evalCase, response }: ScoreInput): Score {
    const norm = (s: string): string => {
      const t = this.options.trim ? s.trim() : s;
      return this.options.ignoreCase ? t.toLowerCase() : t;
    };
    const golds = this.reference.of(evalCase);
    if (golds.length === 0) return unscored('no expected answer for this case');
    const output = norm(response.output);
    const pass = golds.some((g) => norm(g) === output);
    return passFail(pass, pass ? 'equal' : `'${clip(response.output)}' is not '${clip(golds[0] ?? '')}'`);
  }
}

/** The output contains one of the reference answers (`icontains`: ignoring case). */
export class ContainsScorer implements Scorer {
  constructor(
    readonly type: 'contains' | 'icontains',
    readonly name: string,
    readonly weight: number,
    private readonly reference: ReferenceAnswers,
  ) {}

  score({ evalCase, response }: ScoreInput): Score {
    const golds = this.reference.of(evalCase);
    if (golds.length === 0) return unscored('no expected answer for this case');
    const fold = this.type === 'icontains' ? (s: string): string => s.toLowerCase() : (s: string): string => s;
    const output = fold(response.output);
    const pass = golds.some((g) => output.includes(fold(g)));
    return passFail(pass, pass ? 'contains the answer' : `does not contain '${clip(golds[0] ?? '')}'`);
  }
}

/** The output matches a regular expression. */
export class RegexScorer implements Scorer {
  readonly type = 'regex';
  constructor(
    readonly name: string,
    readonly weight: number,
    private readonly pattern: RegExp,
  ) {}

  score({ response }: ScoreInput): Score {
    this.pattern.lastIndex = 0;
    const pass = this.pattern.test(response.output);
    return passFail(pass, pass ? 'matches' : `does not match /${this.pattern.source}/`);
  }
}

/** Token F1 (SQuAD) or ROUGE-L F-measure against the best reference; passes at `min` or above. */
export class SimilarityScorer implements Scorer {
  readonly type = 'similarity';
  constructor(
    readonly name: string,
    readonly weight: number,
    private readonly reference: ReferenceAnswers,
    private readonly metric: 'token-f1' | 'rouge-l',
    private readonly min: number,
  ) {}

  score({ evalCase, response }: ScoreInput): Score {
    const golds = this.reference.of(evalCase);
    if (golds.length === 0) return unscored('no expected answer for this case');
    const value =
      this.metric === 'token-f1'
        ? tokenF1(response.output, golds)
        : Math.max(...golds.map((g) => rougeL(response.output, g).f));
    return { value, pass: value >= this.min, explanation: `${this.metric} ${value.toFixed(3)} (needs ${this.min})` };
  }
}

/** Output length in characters or words within bounds. */
export class LengthScorer implements Scorer {
  readonly type = 'length';
  constructor(
    readonly name: string,
    readonly weight: number,
    private readonly bounds: { min?: number; max?: number; unit: 'chars' | 'words' },
  ) {}

  score({ response }: ScoreInput): Score {
    const { min, max, unit } = this.bounds;
    const length =
      unit === 'chars' ? [...response.output].length : response.output.split(/\s+/).filter((w) => w !== '').length;
    const pass = (min === undefined || length >= min) && (max === undefined || length <= max);
    return passFail(pass, `${length} ${unit}${pass ? '' : ` (bounds ${min ?? 0}…${max ?? '∞'})`}`);
  }
}

/** `equals`, `contains`, `icontains`, `regex`, `similarity` and `length`: the answer's text against references or rules. */
export const textScorerKind: ScorerKind = {
  types: ['equals', 'contains', 'icontains', 'regex', 'similarity', 'length'],
  build: (config, { name, index, where, reference }) => {
    switch (config.type) {
      case 'equals':
        return { scorer: new EqualsScorer(name, config.weight, reference(config.value), config) };
      case 'contains':
      case 'icontains':
        return { scorer: new ContainsScorer(config.type, name, config.weight, reference(config.value)) };
      case 'regex':
        try {
          return { scorer: new RegexScorer(name, config.weight, new RegExp(config.pattern, config.flags)) };
        } catch (error) {
          return {
            problems: [
              {
                where: where(['scorers', index, 'pattern']),
                field: `scorers.${index}.pattern`,
                message: `not a valid regular expression: ${messageOf(error)}`,
                hint: 'patterns use JavaScript syntax; escape backslashes in YAML double quotes',
              },
            ],
          };
        }
      case 'similarity':
        return {
          scorer: new SimilarityScorer(name, config.weight, reference(config.value), config.metric, config.min),
        };
      case 'length':
        if (config.min === undefined && config.max === undefined)
          return {
            problems: [
              {
                where: where(['scorers', index]),
                field: `scorers.${index}`,
                message: 'a length scorer needs min, max or both',
              },
            ],
          };
        return { scorer: new LengthScorer(name, config.weight, config) };
      default:
        return wrongType('text', config);
    }
  },
};

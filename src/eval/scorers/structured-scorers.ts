import { z } from 'zod';
import { scorerCommon } from './scorer-fields.js';
import type { ValidateFunction } from 'ajv';
import { passFail, unscored, type Score, type ScoreInput, type Scorer } from './scorer.js';
import type { ReferenceAnswers } from './reference.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { messageOf } from '../../core/errors.js';
import { wrongType, type ScorerKind } from './scorer-kind.js';

export const jsonScorerConfig = z.strictObject({ type: z.literal('json'), ...scorerCommon });
export const jsonSchemaScorerConfig = z.strictObject({
  type: z.literal('json-schema'),
  schema: z.record(z.string(), z.unknown()),
  ...scorerCommon,
});
export const numericScorerConfig = z.strictObject({
  type: z.literal('numeric'),
  value: z.string().optional(),
  tolerance: z.number().nonnegative().default(0),
  relative: z.boolean().default(false),
  ...scorerCommon,
});

/** The configs of the scorer types this file defines, for the suite schema (`scorer-schema.ts`). */
export const structuredScorerConfigs = [jsonScorerConfig, jsonSchemaScorerConfig, numericScorerConfig] as const;

const FENCE = /^\s*```[A-Za-z0-9_-]*\s*\n([\s\S]*?)\n?```\s*$/;

/** Parses the output as JSON, accepting one surrounding Markdown code fence (models often add one). */
export function parseJsonOutput(output: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const fenced = FENCE.exec(output);
  try {
    return { ok: true, value: JSON.parse(fenced?.[1] ?? output) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The output is valid JSON. */
export class JsonScorer implements Scorer {
  readonly type = 'json';
  constructor(
    readonly name: string,
    readonly weight: number,
  ) {}

  score({ response }: ScoreInput): Score {
    const parsed = parseJsonOutput(response.output);
    return passFail(parsed.ok, parsed.ok ? 'valid JSON' : `not JSON: ${parsed.error}`);
  }
}

/** The output is JSON that a JSON Schema (draft 2020-12 or 07, via ajv) accepts. */
export class JsonSchemaScorer implements Scorer {
  readonly type = 'json-schema';
  constructor(
    readonly name: string,
    readonly weight: number,
    private readonly validate: ValidateFunction,
  ) {}

  score({ response }: ScoreInput): Score {
    const parsed = parseJsonOutput(response.output);
    if (!parsed.ok) return passFail(false, `not JSON: ${parsed.error}`);
    const pass = this.validate(parsed.value);
    const first = this.validate.errors?.[0];
    return passFail(
      pass,
      pass
        ? 'matches the schema'
        : `schema: ${first?.instancePath === '' ? '(root)' : (first?.instancePath ?? '')} ${first?.message ?? 'invalid'}`,
    );
  }
}

const NUMBER = /[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?/g;

/** The first number written in a text ("about 1,234.5 km" → 1234.5); null when there is none. */
export function firstNumber(text: string): number | null {
  for (const match of text.matchAll(NUMBER)) {
    if (!/\d/.test(match[0])) continue;
    const value = Number(match[0].replace(/,/g, ''));
    if (Number.isFinite(value)) return value;
  }
  return null;
}

/** The first number in the output is within a tolerance (absolute, or relative to the reference) of the reference. */
export class NumericScorer implements Scorer {
  readonly type = 'numeric';
  constructor(
    readonly name: string,
    readonly weight: number,
    private readonly reference: ReferenceAnswers,
    private readonly tolerance: number,
    private readonly relative: boolean,
  ) {}

  score({ evalCase, response }: ScoreInput): Score {
    const golds = this.reference
      .of(evalCase)
      .map(firstNumber)
      .filter((g): g is number => g !== null);
    if (golds.length === 0) return unscored('the expected answer holds no number');
    const got = firstNumber(response.output);
    if (got === null) return passFail(false, 'the output holds no number');
    const pass = golds.some(
      (g) => Math.abs(got - g) <= (this.relative ? this.tolerance * Math.abs(g) : this.tolerance),
    );
    return passFail(
      pass,
      `${got} vs ${golds[0]}${this.tolerance > 0 ? ` ± ${this.tolerance}${this.relative ? ' (relative)' : ''}` : ''}`,
    );
  }
}

/** `json`, `json-schema` and `numeric`: answers that must parse, match a schema or equal a number within a tolerance. */
export const structuredScorerKind: ScorerKind = {
  types: ['json', 'json-schema', 'numeric'],
  build: (config, { name, index, where, reference }) => {
    switch (config.type) {
      case 'json':
        return { scorer: new JsonScorer(name, config.weight) };
      case 'json-schema':
        try {
          const validate = new Ajv2020({ allErrors: false, strict: false }).compile(config.schema);
          return { scorer: new JsonSchemaScorer(name, config.weight, validate) };
        } catch (error) {
          return {
            problems: [
              {
                where: where(['scorers', index, 'schema']),
                field: `scorers.${index}.schema`,
                message: `not a usable JSON Schema: ${messageOf(error)}`,
              },
            ],
          };
        }
      case 'numeric':
        return {
          scorer: new NumericScorer(name, config.weight, reference(config.value), config.tolerance, config.relative),
        };
      default:
        return wrongType('structured', config);
    }
  },
};

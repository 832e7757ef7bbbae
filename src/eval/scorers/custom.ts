import { z } from 'zod';
import { scorerCommon } from './scorer-fields.js';
import { messageOf, usageError } from '../../core/errors.js';
import { importUserModule } from '../../plugins/import-user-module.js';
import { unscored, type Score, type ScoreInput, type Scorer } from './scorer.js';
import { isAbsolute, resolve } from 'node:path';
import { wrongType, type ScorerKind } from './scorer-kind.js';

export const customScorerConfig = z.strictObject({
  type: z.literal('custom'),
  module: z.string().min(1),
  export: z.string().min(1).default('default'),
  ...scorerCommon,
});

/** The configs of the scorer types this file defines, for the suite schema (`scorer-schema.ts`). */
export const customScorerConfigs = [customScorerConfig] as const;

/** What a custom scoring function receives. */
export interface CustomScoreInput {
  id: string;
  output: string;
  expected: string[];
  vars: Record<string, unknown>;
  tags: string[];
  prompt: string;
  latencyMs: number;
  cost: number | null;
}

type CustomResult = number | boolean | { value?: number; pass?: boolean; explanation?: string };
type CustomFunction = (input: CustomScoreInput) => CustomResult | Promise<CustomResult>;

function asScore(result: unknown): Score {
  if (typeof result === 'boolean')
    return { value: result ? 1 : 0, pass: result, explanation: result ? 'passed' : 'failed' };
  if (typeof result === 'number') {
    if (!(result >= 0 && result <= 1)) return unscored(`returned ${result}; a score must be between 0 and 1`);
    return { value: result, pass: result >= 0.5, explanation: `score ${result}` };
  }
  if (typeof result === 'object' && result !== null) {
    const { value, pass, explanation } = result as { value?: unknown; pass?: unknown; explanation?: unknown };
    const v = typeof value === 'number' ? value : typeof pass === 'boolean' ? (pass ? 1 : 0) : null;
    if (v === null || !(v >= 0 && v <= 1))
      return unscored('returned an object without a value between 0 and 1 or a boolean pass');
    return {
      value: v,
      pass: typeof pass === 'boolean' ? pass : v >= 0.5,
      explanation: typeof explanation === 'string' ? explanation : `score ${v}`,
    };
  }
  return unscored(`returned ${typeof result}; return a boolean, a number in [0, 1] or { value, pass, explanation }`);
}

/**
 * A scoring function of the user's, from a JavaScript or TypeScript module. It returns a boolean, a number in
 * [0, 1] (passing at 0.5 or above) or `{ value, pass, explanation }`; a function that throws leaves the case
 * unscored with the error as the explanation.
 */
export class CustomScorer implements Scorer {
  readonly type = 'custom';
  private fn: CustomFunction | null = null;

  constructor(
    readonly name: string,
    readonly weight: number,
    private readonly modulePath: string,
    private readonly exportName: string,
    private readonly where: string,
  ) {}

  async prepare(): Promise<void> {
    let module: Record<string, unknown>;
    try {
      module = await importUserModule(this.modulePath);
    } catch (error) {
      throw usageError(
        'SCORER_INVALID',
        `${this.where}: cannot load the custom scorer ${this.modulePath}: ${messageOf(error)}`,
        'check the path (relative to the suite file) and that the module runs on its own',
      );
    }
    const fn = module[this.exportName];
    if (typeof fn !== 'function') {
      const exported = Object.keys(module).join(', ') || 'nothing';
      throw usageError(
        'SCORER_INVALID',
        `${this.where}: ${this.modulePath} has no function export '${this.exportName}'`,
        `it exports: ${exported}; set 'export' to the function's name`,
      );
    }
    this.fn = fn as CustomFunction;
  }

  async score({ evalCase, response, prompt }: ScoreInput): Promise<Score> {
    if (this.fn === null) throw new Error('custom scorer used before prepare()');
    try {
      const result = await this.fn({
        id: evalCase.id,
        output: response.output,
        expected: evalCase.expected,
        vars: evalCase.vars,
        tags: evalCase.tags,
        prompt,
        latencyMs: response.e2eMs,
        cost: response.cost,
      });
      return asScore(result);
    } catch (error) {
      return unscored(`the function threw: ${messageOf(error)}`);
    }
  }
}

/** `custom`: a function of the user's module (TypeScript or JavaScript) scores each answer. */
export const customScorerKind: ScorerKind = {
  types: ['custom'],
  build: (config, { name, index, baseDir, where }) => {
    if (config.type !== 'custom') return wrongType('custom', config);
    const path = isAbsolute(config.module) ? config.module : resolve(baseDir, config.module);
    return { scorer: new CustomScorer(name, config.weight, path, config.export, where(['scorers', index])) };
  },
};

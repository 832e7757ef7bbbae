import { z } from 'zod';
import { positiveInt } from '../../config/fields.js';
import { targetSchema } from '../../targets/target-schema.js';
import { scorerCommon } from './scorer-fields.js';
import { NS_PER_MS } from '../../core/clock.js';
import { YardstickError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import type { TargetConfig } from '../../targets/target-schema.js';
import { createTarget } from '../../targets/registry.js';
import type { Target } from '../../targets/target.js';
import { costOf } from '../cost.js';
import { sendWithRetries, type RetryPolicy } from '../retry.js';
import { compileTemplate, renderTemplate, type CompiledTemplate } from '../template.js';
import { unscored, type Score, type ScoreInput, type Scorer } from './scorer.js';
import { wrongType, type ScorerKind } from './scorer-kind.js';

export const judgeScorerConfig = z.strictObject({
  type: z.literal('judge'),
  target: targetSchema,
  rubric: z.string().min(1),
  /** The judge's prompt; {{rubric}}, {{input}}, {{output}}, {{expected}} and the case's columns are filled in. */
  prompt: z.string().min(1).optional(),
  scale: z.tuple([z.number(), z.number()]).default([1, 5]),
  /** Lowest judge score that passes; default the scale's upper half. */
  passAt: z.number().optional(),
  maxTokens: positiveInt.default(256),
  ...scorerCommon,
});

/** The configs of the scorer types this file defines, for the suite schema (`scorer-schema.ts`). */
export const judgeScorerConfigs = [judgeScorerConfig] as const;

export const DEFAULT_JUDGE_PROMPT = `You are grading an answer against a rubric.

Rubric:
{{rubric}}

Input the answer responds to:
{{input}}

Reference answer (may be empty):
{{expected}}

Answer to grade:
{{output}}

Grade the answer on a scale from {{scale_min}} to {{scale_max}}. Reply with a first line of the form "Score: N", then one sentence giving the reason.`;

const SCORE_LINE = /score\s*[:=]\s*\**\s*(-?\d+(?:\.\d+)?)/i;
const JSON_SCORE = /"score"\s*:\s*(-?\d+(?:\.\d+)?)/i;
const LONE_NUMBER = /^\s*(-?\d+(?:\.\d+)?)\s*(?:\/\s*\d+)?\s*$/;

/** Reads a judge's score: a "Score: N" line, a JSON "score" field, or an answer that is only a number. */
export function parseJudgeScore(output: string): number | null {
  const match = SCORE_LINE.exec(output) ?? JSON_SCORE.exec(output) ?? LONE_NUMBER.exec(output);
  return match?.[1] === undefined ? null : Number(match[1]);
}

export interface JudgeSettings {
  target: TargetConfig;
  rubric: string;
  prompt?: string;
  scale: [number, number];
  passAt?: number;
  maxTokens: number;
}

/**
 * LLM-as-judge: a second model grades each answer against a rubric. The score is scaled to [0, 1]; the case passes
 * at `passAt` or above (default the middle of the scale). A judge that fails or answers without a readable score
 * leaves the case unscored, counted and reported; its tokens and cost are recorded apart from the target's.
 */
export class JudgeScorer implements Scorer {
  readonly type = 'judge';
  readonly asksAModel = true;
  private target: Target | null = null;
  private readonly template: CompiledTemplate;

  constructor(
    readonly name: string,
    readonly weight: number,
    private readonly settings: JudgeSettings,
    private readonly retry: RetryPolicy,
  ) {
    this.template = compileTemplate(settings.prompt ?? DEFAULT_JUDGE_PROMPT);
  }

  get templateVariables(): string[] {
    return this.template.names;
  }

  get judgeName(): string {
    const t = this.settings.target;
    return t.name ?? (t.kind === 'http' ? t.url : t.kind === 'custom' ? t.module : t.model);
  }

  async prepare(): Promise<void> {
    const target = await createTarget(this.settings.target, { maxConnections: 16 });
    try {
      await target.checkReachable();
    } catch (error) {
      await target.close();
      if (error instanceof YardstickError) {
        throw new YardstickError({
          code: 'JUDGE_UNREACHABLE',
          message: `the judge of scorer '${this.name}' is unreachable: ${error.message}`,
          hint: "start the judge model or fix its URL in the scorer's target",
          exitCode: ExitCode.targetUnreachable,
        });
      }
      throw error;
    }
    this.target = target;
  }

  async score({ evalCase, response, prompt, signal }: ScoreInput): Promise<Score> {
    if (this.target === null) throw new Error('judge scorer used before prepare()');
    const [low, high] = this.settings.scale;
    const text = renderTemplate(this.template, {
      ...evalCase.vars,
      rubric: this.settings.rubric,
      input: prompt,
      output: response.output,
      expected: evalCase.expected[0] ?? '',
      scale_min: low,
      scale_max: high,
    });
    const request = {
      index: evalCase.index,
      promptId: -1,
      prompt: text,
      messages: null,
      maxTokens: this.settings.maxTokens,
      clientTokensIn: null,
      extraBody: null,
    };
    const { exchange } = await sendWithRetries(this.target, request, signal, this.retry);
    const modelUsage = {
      e2eMs: (exchange.endedAt - exchange.sentAt) / NS_PER_MS,
      tokensIn: exchange.tokensIn,
      tokensOut: exchange.tokensOut,
      cost: costOf(this.settings.target.pricing, exchange.tokensIn, exchange.tokensOut),
      output: exchange.output,
    };
    if (exchange.status !== 'ok')
      return { ...unscored(`judge failed: ${exchange.error?.message ?? exchange.status}`), details: { modelUsage } };
    const grade = parseJudgeScore(exchange.output);
    if (grade === null || grade < Math.min(low, high) || grade > Math.max(low, high)) {
      return {
        ...unscored(
          `judge answer has no score in ${low}…${high}: '${exchange.output.slice(0, 80).replace(/\s+/g, ' ')}'`,
        ),
        details: { modelUsage },
      };
    }
    const passAt = this.settings.passAt ?? (low + high) / 2;
    return {
      value: (grade - low) / (high - low),
      pass: grade >= passAt,
      explanation: `judge ${grade}/${high}`,
      details: { modelUsage },
    };
  }

  async close(): Promise<void> {
    await this.target?.close();
    this.target = null;
  }
}

/** Variables a judge's template gets from the run; any other it names must come from every case. */
const JUDGE_PROVIDED = new Set(['rubric', 'input', 'output', 'expected', 'scale_min', 'scale_max']);

/** `judge`: another model grades each answer with a rubric. */
export const judgeScorerKind: ScorerKind = {
  types: ['judge'],
  build: (config, { name, retry, needsVariables }) => {
    if (config.type !== 'judge') return wrongType('judge', config);
    const judge = new JudgeScorer(name, config.weight, config, retry);
    needsVariables(judge.templateVariables.filter((v) => !JUDGE_PROVIDED.has(v)));
    return { scorer: judge };
  },
};

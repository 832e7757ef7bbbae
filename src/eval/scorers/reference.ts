import type { EvalCase } from '../cases.js';
import { compileTemplate, renderTemplate, type CompiledTemplate } from '../template.js';

/** The answers a scorer compares with: its own `value` template when given, else the case's expected answers. */
export class ReferenceAnswers {
  private readonly template: CompiledTemplate | null;

  constructor(value: string | undefined) {
    this.template = value === undefined ? null : compileTemplate(value);
  }

  /** Template variables the reference needs from each case. */
  get variables(): string[] {
    return this.template?.names ?? [];
  }

  get usesExpected(): boolean {
    return this.template === null;
  }

  of(evalCase: EvalCase): string[] {
    if (this.template === null) return evalCase.expected;
    return [renderTemplate(this.template, { ...evalCase.vars, expected: evalCase.expected[0] ?? '' })];
  }
}

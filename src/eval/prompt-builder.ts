import type { ChatMessage, TargetRequest } from '../core/types.js';
import type { EvalCase } from './cases.js';
import type { PromptConfig } from './suite-schema.js';
import { compileTemplate, renderTemplate, type CompiledTemplate } from './template.js';

export interface BuiltPrompt {
  request: TargetRequest;
  /** The prompt as one text (chat messages joined), for judges, custom scorers and the stored case. */
  text: string;
}

/** Turns a case into the request to send. */
export interface RequestBuilder {
  build(evalCase: EvalCase): BuiltPrompt;
}

const FEWSHOT = 'fewshot';

/**
 * Renders each case's request from the suite's prompt: a text or chat messages whose `{{column}}` placeholders take
 * the case's values. Few-shot examples are rendered with their own template and joined; they go where the prompt
 * writes `{{fewshot}}`, else before the text (or before the first user message's content).
 */
export class PromptBuilder implements RequestBuilder {
  private readonly text: CompiledTemplate | null;
  private readonly messages: { role: ChatMessage['role']; template: CompiledTemplate }[] | null;
  private readonly fewShotText: string;
  private readonly hasPlaceholder: boolean;

  constructor(
    private readonly config: PromptConfig,
    examples: readonly EvalCase[],
  ) {
    this.text = config.text === undefined ? null : compileTemplate(config.text);
    this.messages =
      config.messages === undefined
        ? null
        : config.messages.map((m) => ({ role: m.role, template: compileTemplate(m.content) }));
    const few = config.fewShot;
    if (few === undefined || examples.length === 0) this.fewShotText = '';
    else {
      const template = compileTemplate(few.template);
      this.fewShotText = examples
        .map((e) => renderTemplate(template, { ...e.vars, expected: e.expected[0] ?? '' }))
        .join(few.separator);
    }
    this.hasPlaceholder = this.templates().some((t) => t.names.includes(FEWSHOT));
  }

  private templates(): CompiledTemplate[] {
    return this.text !== null ? [this.text] : (this.messages ?? []).map((m) => m.template);
  }

  /** Names the prompt needs from each case (`fewshot` is filled in by the builder). */
  get variables(): string[] {
    return [...new Set(this.templates().flatMap((t) => t.names))].filter((n) => n !== FEWSHOT);
  }

  private prefix(rendered: string): string {
    if (this.fewShotText === '' || this.hasPlaceholder) return rendered;
    return `${this.fewShotText}${this.config.fewShot?.separator ?? '\n\n'}${rendered}`;
  }

  build(evalCase: EvalCase): BuiltPrompt {
    const vars = this.hasPlaceholder ? { ...evalCase.vars, [FEWSHOT]: this.fewShotText } : evalCase.vars;
    const base = {
      index: evalCase.index,
      // A case's prompt is sent once per repeat: its body is encoded each time rather than cached under the case's
      // index, which another suite, trial or derived case sharing the target could give a different prompt.
      promptId: -1,
      maxTokens: this.config.maxTokens ?? null,
      clientTokensIn: null,
      extraBody: Object.keys(this.config.body).length > 0 ? this.config.body : null,
    };
    if (this.text !== null) {
      const prompt = this.prefix(renderTemplate(this.text, vars));
      return { request: { ...base, prompt, messages: null }, text: prompt };
    }
    let prefixed = false;
    const messages = (this.messages ?? []).map(({ role, template }): ChatMessage => {
      let content = renderTemplate(template, vars);
      if (!prefixed && role === 'user') {
        content = this.prefix(content);
        prefixed = true;
      }
      return { role, content };
    });
    const text = messages.map((m) => `${m.role}: ${m.content}`).join('\n\n');
    const lastUser = [...messages].reverse().find((m) => m.role === 'user');
    return { request: { ...base, prompt: lastUser?.content ?? '', messages }, text };
  }
}

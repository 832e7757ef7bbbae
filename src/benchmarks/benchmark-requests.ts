import type { ChatMessage } from '../core/types.js';
import type { EvalCase } from '../eval/cases.js';
import type { BuiltPrompt, RequestBuilder } from '../eval/prompt-builder.js';
import type { BenchmarkCase, ScoringMode } from './benchmark-cases.js';

/** The system message of `choice` mode: the standard prompt stays as it is, the instruction says how to answer. */
export function choiceInstruction(item: BenchmarkCase): string {
  if (item.task.regression) return 'Reply with only a number from 0 to 5, with no explanation.';
  return `Reply with exactly one of: ${item.doc.labels.join(', ')}. Give only the answer, with no explanation.`;
}

export interface RequestSettings {
  mode: ScoringMode;
  /** Chat targets get messages; completions targets the prompt as text. */
  chat: boolean;
  /** `choice` and `generate`: output budget. */
  maxTokens: number;
}

/**
 * Turns benchmark cases into requests: continuations to score (`loglikelihood`), or a prompt to answer (`choice`,
 * `generate`). The prompt stored with each case is the document's own text: the description and few-shot examples
 * before it are the same for a whole task (or MMLU subject), and storing them with every case would multiply the
 * store's size by the number of shots.
 */
export class BenchmarkRequests implements RequestBuilder {
  constructor(
    private readonly cases: ReadonlyMap<string, BenchmarkCase>,
    private readonly settings: RequestSettings,
  ) {}

  build(evalCase: EvalCase): BuiltPrompt {
    const item = this.cases.get(evalCase.id);
    if (item === undefined) throw new Error(`benchmark case ${evalCase.id} was not compiled`);
    // One-off requests (negative id): keeping thousands of encoded few-shot bodies for reuse would only load the heap.
    const base = { index: evalCase.index, promptId: -1, clientTokensIn: null };
    if (this.settings.mode === 'loglikelihood') {
      const continuations = item.doc.choices.map((c) => item.task.targetDelimiter + c);
      return {
        request: { ...base, prompt: item.context, messages: null, maxTokens: null, extraBody: null, continuations },
        text: item.doc.text,
      };
    }
    // Greedy decoding, as lm-evaluation-harness generates; a target's own `body` still overrides it.
    const request = { ...base, maxTokens: this.settings.maxTokens, extraBody: { temperature: 0 } };
    const own = item.doc.askText ?? item.doc.text;
    if (!this.settings.chat) return { request: { ...request, prompt: item.ask, messages: null }, text: own };
    const messages: ChatMessage[] =
      this.settings.mode === 'choice' ? [{ role: 'system', content: choiceInstruction(item) }] : [];
    messages.push({ role: 'user', content: item.ask });
    return { request: { ...request, prompt: item.ask, messages }, text: own };
  }
}

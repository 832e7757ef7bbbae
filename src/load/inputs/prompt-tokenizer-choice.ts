import type { Target } from '../../targets/target.js';
import { loadClientTokenizer } from '../../tokens/client-tokenizer.js';
import { clientPromptTokenizer, type PromptTokenizer } from '../../tokens/prompt-tokenizer.js';

/** The tokenizer a run counts its synthetic prompts with, and why it is the client's when it is. */
export interface PromptTokenizerChoice {
  tokenizer: PromptTokenizer;
  fallbackReason: string | null;
}

/** The target's own tokenizer (a server's `/tokenize`, a GGUF model's vocabulary) where it has one, else the client's. */
export async function choosePromptTokenizer(target: Target): Promise<PromptTokenizerChoice> {
  const probe =
    target.promptTokenizer === undefined
      ? { unavailable: `a ${target.kind} target has no tokenizer of its own` }
      : await target.promptTokenizer();
  if ('tokenizer' in probe) return { tokenizer: probe.tokenizer, fallbackReason: null };
  return { tokenizer: clientPromptTokenizer(await loadClientTokenizer()), fallbackReason: probe.unavailable };
}

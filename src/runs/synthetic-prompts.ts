import type { SyntheticInputConfig } from '../load/bench-config-schema.js';
import { describeLengths, lengthStats } from '../load/length-distribution.js';
import { choosePromptTokenizer } from '../load/inputs/prompt-tokenizer-choice.js';
import { prepareSyntheticPrompts, type PreparedPrompts } from '../load/inputs/synthetic.js';
import type { PromptsJson } from '../efficiency/bench-json.js';
import type { Target } from '../targets/target.js';

/** A run's synthetic prompts and, when the client tokenizer counted them, why the target's own could not. */
export interface PreparedPromptsWithChoice {
  prompts: PreparedPrompts;
  fallbackReason: string | null;
  requestedTokens: number;
  /** The input and output length distributions in words (`fixed 128` without one). */
  requestedLengths: { input: string; output: string };
  prefixBuckets: { count: number; tokens: number; share: number }[];
}

/** Prepares the run's synthetic prompts in the target's own tokens where it has a tokenizer. */
export async function preparePromptsFor(
  target: Target,
  input: SyntheticInputConfig,
): Promise<PreparedPromptsWithChoice> {
  const choice = await choosePromptTokenizer(target);
  return {
    prompts: await prepareSyntheticPrompts(input, choice.tokenizer),
    fallbackReason: choice.fallbackReason,
    requestedTokens: input.inputTokens,
    requestedLengths: {
      input: input.inputLengths === undefined ? `fixed ${input.inputTokens}` : describeLengths(input.inputLengths),
      output: input.outputLengths === undefined ? `fixed ${input.outputTokens}` : describeLengths(input.outputLengths),
    },
    prefixBuckets: input.prefixes ?? [],
  };
}

/** What the run's record says about its prompts. */
export function promptsJson(prepared: PreparedPromptsWithChoice): PromptsJson {
  const counts = prepared.prompts.tokenCounts;
  const sum = counts.reduce((a, b) => a + b, 0);
  return {
    tokenizer: prepared.prompts.tokenizer.name,
    tokenizerSource: prepared.prompts.tokenizer.source,
    fallbackReason: prepared.fallbackReason,
    requestedTokens: prepared.requestedTokens,
    unique: counts.length,
    tokens: { min: Math.min(...counts), max: Math.max(...counts), mean: counts.length === 0 ? 0 : sum / counts.length },
    lengths: {
      input: { requested: prepared.requestedLengths.input, drawn: lengthStats(prepared.prompts.requestedTokens) },
      output: { requested: prepared.requestedLengths.output, drawn: lengthStats(prepared.prompts.maxTokens) },
    },
    ...(prepared.prefixBuckets.length === 0
      ? {}
      : {
          prefixes: {
            buckets: prepared.prefixBuckets,
            prefixedPrompts: prepared.prompts.prefixIds.filter((id) => id !== null).length,
            distinct: new Set(prepared.prompts.prefixIds.filter((id) => id !== null)).size,
          },
        }),
  };
}

import { usageError } from '../core/errors.js';
import type { Target } from '../targets/target.js';
import type { PromptTokenizer } from '../tokens/prompt-tokenizer.js';
import type { BenchmarkCase } from './benchmark-cases.js';

/** How a loglikelihood run's continuations were scored, as its results say. */
export interface ScoringMethod {
  method: 'in-process' | 'echo' | 'top-logprobs';
  /** `top-logprobs`: the alternatives asked for per request. */
  topLogprobs: number | null;
  description: string;
}

const IN_PROCESS: ScoringMethod = {
  method: 'in-process',
  topLogprobs: null,
  description: "every continuation token's log-probability, computed by the local model",
};

/** A task with more distinct continuations than this answers with text of its own per document, not a fixed set of labels. */
const MAX_LABEL_SET = 64;
/** Without a tokenizer, a continuation that is one short word (after its delimiter) is taken as one token; the server's listing then decides. */
const ONE_WORD = /^\s?[^\s]{1,16}$/;

const HINT =
  "use --mode choice to ask the server for the answer instead; or score the same GGUF file locally with --kind gguf --model FILE.gguf, or serve it with 'yardstick serve-model --gguf FILE.gguf', which echoes prompt log-probabilities (docs/compatibility.md)";

/** Tokens `continuation` adds after `context`, by the model's own tokenizer. */
async function tokensAdded(tokenizer: PromptTokenizer, context: string, continuation: string): Promise<number> {
  const [whole, head] = await Promise.all([tokenizer.encode(context + continuation), tokenizer.encode(context)]);
  return whole.length - head.length;
}

/** The tasks whose continuations are not all single tokens: a first token's top log-probabilities cannot score them. */
async function tasksNeedingPromptLogprobs(
  items: Iterable<BenchmarkCase>,
  tokenizer: PromptTokenizer | null,
): Promise<string[]> {
  const byTask = new Map<string, Map<string, string>>();
  for (const item of items) {
    const continuations = byTask.get(item.task.name) ?? new Map<string, string>();
    byTask.set(item.task.name, continuations);
    for (const choice of item.doc.choices) {
      const continuation = item.task.targetDelimiter + choice;
      if (!continuations.has(continuation) && continuations.size <= MAX_LABEL_SET)
        continuations.set(continuation, item.context);
    }
  }
  const needing: string[] = [];
  for (const [task, continuations] of byTask) {
    if (continuations.size > MAX_LABEL_SET) {
      needing.push(task);
      continue;
    }
    for (const [continuation, context] of continuations) {
      const single =
        tokenizer === null ? ONE_WORD.test(continuation) : (await tokensAdded(tokenizer, context, continuation)) === 1;
      if (!single) {
        needing.push(task);
        break;
      }
    }
  }
  return needing;
}

/**
 * Asks the target once how it scores continuations and checks that the way it can fits every task: echoed prompt
 * log-probabilities fit any; a first token's top log-probabilities only tasks whose choices are single tokens
 * (MMLU's letters, yes/no). Refuses the run (exit 2), before any request of it is sent, when they do not.
 */
export async function chooseScoringMethod(target: Target, items: Iterable<BenchmarkCase>): Promise<ScoringMethod> {
  if (target.probeContinuationScoring === undefined) return IN_PROCESS;
  const probe = await target.probeContinuationScoring();
  const { name, url } = target.describe();
  if ('unsupported' in probe) {
    throw usageError(
      'MODE_UNSUPPORTED',
      `the server behind '${name}' (${url}) cannot score continuations, which loglikelihood mode needs: asked once ${probe.unsupported}`,
      HINT,
    );
  }
  if (probe.method === 'echo')
    return { method: 'echo', topLogprobs: null, description: 'prompt log-probabilities echoed by the server' };
  const tokenizerProbe = target.promptTokenizer === undefined ? null : await target.promptTokenizer();
  const tokenizer = tokenizerProbe !== null && 'tokenizer' in tokenizerProbe ? tokenizerProbe.tokenizer : null;
  const needing = await tasksNeedingPromptLogprobs(items, tokenizer);
  if (needing.length > 0) {
    throw usageError(
      'MODE_UNSUPPORTED',
      `the server behind '${name}' (${url}) does not echo prompt log-probabilities; it lists the first generated token's most likely alternatives, which score single-token choices only, and the choices of ${needing.join(', ')} are longer (counted by ${tokenizer?.name ?? 'their words: the server has no tokenizer endpoint'})`,
      HINT,
    );
  }
  return {
    method: 'top-logprobs',
    topLogprobs: probe.topLogprobs,
    description: `the first generated token's ${probe.topLogprobs} most likely alternatives (single-token choices; a choice not among them is below them all)`,
  };
}

import { seededRandom } from '../../core/random.js';
import type { ClientTokenizer } from '../../tokens/client-tokenizer.js';
import type { InputSource } from './input-source.js';

const WORDS = (
  'time year people way day man thing woman life child world school state family student group country problem hand part ' +
  'place case week company system program question work government number night point home water room mother area money ' +
  'story fact month lot right study book eye job word business issue side kind head house service friend father power hour ' +
  'game line end member law car city community name president team minute idea kid body information back parent face others ' +
  'level office door health person art war history party result change morning reason research girl guy moment air teacher'
).split(' ');

export interface SyntheticOptions {
  inputTokens: number;
  outputTokens: number;
  fixedOutputLength: boolean;
  uniquePrompts: number;
  seed: number;
}

function promptOfTokens(random: () => number, tokens: number, tokenizer: ClientTokenizer): string {
  let text = '';
  // English words average a little over one token each; draw enough, then cut at the exact token count.
  for (let i = 0; i < tokens + 8; i += 1) text += `${WORDS[Math.floor(random() * WORDS.length)] ?? 'word'} `;
  return tokenizer.decode(tokenizer.encode(text).slice(0, tokens));
}

/** Seeded synthetic prompts of a target input length, asking for a target output length. */
export function syntheticSource(options: SyntheticOptions, tokenizer: ClientTokenizer): InputSource {
  const random = seededRandom(options.seed);
  const prompts = Array.from({ length: options.uniquePrompts }, () => promptOfTokens(random, options.inputTokens, tokenizer));
  const counts = prompts.map((p) => tokenizer.count(p));
  const extraBody = options.fixedOutputLength ? { ignore_eos: true, min_tokens: options.outputTokens } : null;
  return {
    size: prompts.length,
    requestAt(index) {
      const slot = index % prompts.length;
      return { index, promptId: slot, prompt: prompts[slot] ?? '', messages: null, maxTokens: options.outputTokens, clientTokensIn: counts[slot] ?? null, extraBody };
    },
  };
}

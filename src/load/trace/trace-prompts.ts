import type { TargetRequest } from '../../core/types.js';
import { seededRandom } from '../../core/random.js';
import type { PromptTokenizer, PromptTokenizerSource } from '../../tokens/prompt-tokenizer.js';
import { WORDS } from '../inputs/synthetic.js';
import type { TraceEntry } from './trace-formats.js';

/** Words that are one token each in the target's tokenizer, so a prompt of n of them is n tokens long. Plain data. */
export interface TraceVocabulary {
  words: string[];
  tokenizer: { source: PromptTokenizerSource; name: string };
  /** False when the tokenizer has too few one-token words among them: lengths are then only approximate. */
  exactLengths: boolean;
}

/** Fewer single-token words than this and every word is used (lengths then only approximate). */
const MIN_WORDS = 16;

/**
 * The words of the synthetic vocabulary that the tokenizer counts as exactly one token alone and one each when
 * repeated after a space: prompts made of them have as many tokens as words.
 */
export async function prepareTraceVocabulary(tokenizer: PromptTokenizer): Promise<TraceVocabulary> {
  const checked = await Promise.all(
    WORDS.map(async (word) => {
      const alone = (await tokenizer.encode(word)).length;
      const twice = (await tokenizer.encode(`${word} ${word}`)).length;
      return alone === 1 && twice === 2 ? word : null;
    }),
  );
  const single = checked.filter((word): word is string => word !== null);
  const exactLengths = single.length >= MIN_WORDS;
  return {
    words: exactLengths ? single : [...WORDS],
    tokenizer: { source: tokenizer.source, name: tokenizer.name },
    exactLengths,
  };
}

/** Block texts kept for reuse (a few MB): blocks shared by many requests are made once. */
const MAX_CACHED_BLOCKS = 4096;
/** Seeds of blocks and of a request's own words, apart so that neither repeats the other. */
const BLOCK_SEED = 0x5bd1e995;
const OWN_SEED = 0x27d4eb2d;

function words(vocabulary: readonly string[], seed: number, count: number): string {
  const random = seededRandom(seed);
  const out: string[] = new Array<string>(count);
  for (let i = 0; i < count; i += 1) out[i] = vocabulary[Math.floor(random() * vocabulary.length)] ?? 'time';
  return out.join(' ');
}

/**
 * Builds each request of a trace: its own prompt text when the line gives one; else a prompt of exactly its length
 * in vocabulary words, made of its blocks in order (each block's text fixed by its id, so requests that share block
 * ids share a prefix, as they did when the trace was recorded) and, past its blocks, words of its own.
 */
export class TracePrompts {
  private readonly blocks = new Map<number, string>();

  constructor(
    private readonly vocabulary: TraceVocabulary,
    private readonly fixedOutputLength: boolean,
  ) {}

  private block(id: number, tokens: number, blockTokens: number): string {
    if (tokens < blockTokens) return words(this.vocabulary.words, BLOCK_SEED ^ id, tokens);
    const cached = this.blocks.get(id);
    if (cached !== undefined) return cached;
    const text = words(this.vocabulary.words, BLOCK_SEED ^ id, tokens);
    if (this.blocks.size >= MAX_CACHED_BLOCKS) {
      const oldest = this.blocks.keys().next();
      if (oldest.done !== true) this.blocks.delete(oldest.value);
    }
    this.blocks.set(id, text);
    return text;
  }

  /** The prompt of a trace line; `blockTokens` is the length of each of its `hash_ids` blocks. */
  text(entry: TraceEntry, index: number, blockTokens: number): string {
    if (entry.prompt !== null) return entry.prompt;
    const length = entry.inputTokens ?? 1;
    const parts: string[] = [];
    let left = length;
    for (const id of entry.hashIds ?? []) {
      if (left <= 0) break;
      const tokens = Math.min(blockTokens, left);
      parts.push(this.block(id, tokens, blockTokens));
      left -= tokens;
    }
    if (left > 0) parts.push(words(this.vocabulary.words, OWN_SEED ^ index, left));
    return parts.join(' ');
  }

  request(entry: TraceEntry, index: number, blockTokens: number): TargetRequest {
    return {
      index,
      promptId: -1,
      prompt: this.text(entry, index, blockTokens),
      messages: null,
      maxTokens: entry.outputTokens,
      clientTokensIn: entry.inputTokens,
      extraBody: this.fixedOutputLength ? { ignore_eos: true, min_tokens: entry.outputTokens } : null,
    };
  }
}

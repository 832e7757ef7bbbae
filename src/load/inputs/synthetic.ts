import { seededRandom } from '../../core/random.js';
import type { PromptTokenizer, PromptTokenizerSource } from '../../tokens/prompt-tokenizer.js';
import type { Conversation, InputSource } from './input-source.js';
import { lengthSampler, type LengthDistribution } from '../length-distribution.js';

/** Common English words synthetic prompts are made of. */
export const WORDS = (
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
  inputLengths?: LengthDistribution;
  outputLengths?: LengthDistribution;
  /** Buckets of shared prefixes: `share` of the prompts start with one of `count` prefixes of `tokens` tokens. */
  prefixes?: PrefixBucket[];
  /** User turns per session: above 1, each position is a conversation of that many prompts, sent turn by turn. */
  turns?: number;
}

export interface PrefixBucket {
  count: number;
  tokens: number;
  share: number;
}

/** A run's synthetic prompts and their lengths in the tokens of the tokenizer that counted them. Plain data. */
export interface PreparedPrompts {
  texts: string[];
  tokenCounts: number[];
  /** Each prompt's requested length (its draw, or `inputTokens`) and max_tokens (its draw, or `outputTokens`). */
  requestedTokens: number[];
  maxTokens: number[];
  /** Each prompt's shared prefix as `bucket/index` (e.g. `0/3`), or null when it has none of its own. */
  prefixIds: (string | null)[];
  tokenizer: { source: PromptTokenizerSource; name: string };
}

/** Prompts tokenized at once: enough to keep a server's tokenizer busy without queueing behind each other. */
const TOKENIZE_CONCURRENCY = 16;
/** Re-cuts of a prompt whose text, tokenized again, comes out longer or shorter than its cut. */
const MAX_RECUTS = 3;

function wordsText(random: () => number, tokens: number): string {
  let text = '';
  // English words take one or two tokens each; draw enough, then cut at the exact token count.
  for (let i = 0; i < tokens + 8; i += 1) text += `${WORDS[Math.floor(random() * WORDS.length)] ?? 'word'} `;
  return text;
}

/**
 * Cuts a text to `target` tokens. Decoding a cut and encoding it again can merge or split tokens at its end (and a
 * SentencePiece decode starts with a space that would become a token of its own), so the cut is checked and moved
 * until the text counts `target` tokens, or as near as three re-cuts get.
 */
async function cutToTokens(
  text: string,
  target: number,
  tokenizer: PromptTokenizer,
): Promise<{ text: string; tokens: number }> {
  const ids = await tokenizer.encode(text);
  let keep = Math.min(target, ids.length);
  let best = { text: '', tokens: 0, miss: Number.POSITIVE_INFINITY };
  for (let attempt = 0; attempt <= MAX_RECUTS && keep > 0; attempt += 1) {
    const cut = (await tokenizer.decode(ids.slice(0, keep))).trimStart();
    const tokens = (await tokenizer.encode(cut)).length;
    const miss = Math.abs(tokens - target);
    if (miss < best.miss) best = { text: cut, tokens, miss };
    if (miss === 0) break;
    keep += target - tokens;
  }
  return { text: best.text, tokens: best.tokens };
}

/** Streams of the length and prefix draws, apart from the words' so that other prompts keep their words. */
const LENGTH_SEED_OFFSET = 7919;
const PREFIX_SEED_OFFSET = 104_729;

/** For each prompt, the bucket and prefix it starts with (null for none): buckets by their shares, prefixes evenly. */
function assignPrefixes(
  buckets: readonly PrefixBucket[],
  prompts: number,
  random: () => number,
): ([number, number] | null)[] {
  return Array.from({ length: prompts }, () => {
    let u = random();
    for (const [b, bucket] of buckets.entries()) {
      if (u < bucket.share) return [b, Math.floor(random() * bucket.count)] as [number, number];
      u -= bucket.share;
    }
    return null;
  });
}

/**
 * Seeded synthetic prompts, counted by `tokenizer`: `inputTokens` tokens each, or lengths drawn from `inputLengths`,
 * and each with its max_tokens (`outputTokens`, or drawn from `outputLengths`). The same seed and tokenizer give the
 * same prompts.
 */
export async function prepareSyntheticPrompts(
  options: Pick<
    SyntheticOptions,
    'inputTokens' | 'outputTokens' | 'uniquePrompts' | 'seed' | 'inputLengths' | 'outputLengths' | 'prefixes'
  >,
  tokenizer: PromptTokenizer,
): Promise<PreparedPrompts> {
  const random = seededRandom(options.seed);
  const lengthRandom = seededRandom(options.seed + LENGTH_SEED_OFFSET);
  const inputLength =
    options.inputLengths === undefined ? () => options.inputTokens : lengthSampler(options.inputLengths, lengthRandom);
  const outputLength =
    options.outputLengths === undefined
      ? () => options.outputTokens
      : lengthSampler(options.outputLengths, lengthRandom);
  const requestedTokens = Array.from({ length: options.uniquePrompts }, inputLength);
  const maxTokens = Array.from({ length: options.uniquePrompts }, outputLength);
  const buckets = options.prefixes ?? [];
  const prefixTexts = await Promise.all(
    buckets.map((bucket, b) => {
      const prefixRandom = seededRandom(options.seed + PREFIX_SEED_OFFSET + b);
      return Promise.all(
        Array.from(
          { length: bucket.count },
          async () => (await cutToTokens(wordsText(prefixRandom, bucket.tokens), bucket.tokens, tokenizer)).text,
        ),
      );
    }),
  );
  const assigned = assignPrefixes(buckets, options.uniquePrompts, seededRandom(options.seed + PREFIX_SEED_OFFSET - 1));
  // A prompt with a prefix is the prefix, then its own words up to its length (at least one word of its own).
  assigned.forEach((prefix, i) => {
    if (prefix === null) return;
    const tokens = buckets[prefix[0]]?.tokens ?? 0;
    requestedTokens[i] = Math.max(requestedTokens[i] ?? 0, tokens + 1);
  });
  const drafts = requestedTokens.map((tokens, i) => {
    const prefix = assigned[i];
    const own = wordsText(random, tokens);
    return prefix === null || prefix === undefined ? own : `${prefixTexts[prefix[0]]?.[prefix[1]] ?? ''} ${own}`;
  });
  const texts: string[] = new Array<string>(drafts.length).fill('');
  const tokenCounts: number[] = new Array<number>(drafts.length).fill(0);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < drafts.length; i = next++) {
      const cut = await cutToTokens(drafts[i] ?? '', requestedTokens[i] ?? options.inputTokens, tokenizer);
      texts[i] = cut.text;
      tokenCounts[i] = cut.tokens;
    }
  };
  await Promise.all(Array.from({ length: TOKENIZE_CONCURRENCY }, worker));
  return {
    texts,
    tokenCounts,
    requestedTokens,
    maxTokens,
    prefixIds: assigned.map((prefix) => (prefix === null ? null : `${prefix[0]}/${prefix[1]}`)),
    tokenizer: { source: tokenizer.source, name: tokenizer.name },
  };
}

/** Synthetic prompts prepared for the run, asking for a target output length. */
export function syntheticSource(options: SyntheticOptions, prepared: PreparedPrompts): InputSource {
  const { texts, tokenCounts, maxTokens } = prepared;
  const turns = options.turns ?? 1;
  const conversationAt = (index: number): Conversation => ({
    system: null,
    turns: Array.from({ length: turns }, (_, t) => {
      const slot = (index * turns + t) % texts.length;
      return { user: texts[slot] ?? '', maxTokens: maxTokens[slot] ?? options.outputTokens };
    }),
  });
  return {
    ...(turns > 1 ? { conversationAt } : {}),
    size: texts.length,
    requestAt(index) {
      const slot = index % texts.length;
      const outputTokens = maxTokens[slot] ?? options.outputTokens;
      return {
        index,
        promptId: slot,
        prompt: texts[slot] ?? '',
        messages: null,
        maxTokens: outputTokens,
        clientTokensIn: tokenCounts[slot] ?? null,
        extraBody: options.fixedOutputLength ? { ignore_eos: true, min_tokens: outputTokens } : null,
      };
    },
  };
}

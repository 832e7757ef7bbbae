import type { ClientTokenizer } from './client-tokenizer.js';

/** Whose tokenizer counted a run's synthetic prompts: the server's, the local model's own vocabulary, or the client's. */
export type PromptTokenizerSource = 'server' | 'model' | 'client';

/** Cuts and rebuilds prompt text in some model's tokens (special tokens such as BOS are never added). */
export interface PromptTokenizer {
  readonly source: PromptTokenizerSource;
  /** What counted the tokens, as a run shows it: `llama-server /tokenize at …`, `GGUF vocabulary of …`, `cl100k_base`. */
  readonly name: string;
  encode(text: string): Promise<number[]>;
  decode(tokens: number[]): Promise<string>;
}

/** A target's own tokenizer, or why it has none. */
export type TokenizerProbe = { tokenizer: PromptTokenizer } | { unavailable: string };

/** The client tokenizer as a prompt tokenizer: the fallback when the target has no tokenizer of its own. */
export function clientPromptTokenizer(client: ClientTokenizer): PromptTokenizer {
  return {
    source: 'client',
    name: 'cl100k_base (client)',
    encode: (text) => Promise.resolve(client.encode(text)),
    decode: (tokens) => Promise.resolve(client.decode(tokens)),
  };
}

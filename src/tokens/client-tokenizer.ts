/** Token counting on the client, the fallback when a server reports no usage (o200k_base BPE from gpt-tokenizer). */
export interface ClientTokenizer {
  count(text: string): number;
  encode(text: string): number[];
  decode(tokens: number[]): string;
}

let loaded: Promise<ClientTokenizer> | null = null;

/** Loads the tokenizer once per thread (about half a second), on first use only. */
export function loadClientTokenizer(): Promise<ClientTokenizer> {
  loaded ??= import('gpt-tokenizer').then((module) => ({
    count: (text: string) => (text === '' ? 0 : module.countTokens(text)),
    encode: (text: string) => module.encode(text),
    decode: (tokens: number[]) => module.decode(tokens),
  }));
  return loaded;
}

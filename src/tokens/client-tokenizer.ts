/** Token counting on the client, the fallback when a server reports no usage (cl100k_base BPE from gpt-tokenizer). */
export interface ClientTokenizer {
  count(text: string): number;
  encode(text: string): number[];
  decode(tokens: number[]): string;
}

let loaded: Promise<ClientTokenizer> | null = null;

/** Short outputs (labels, yes/no, numbers) repeat; remembering their counts saves most tokenizer work on them. */
const SHORT_TEXT = 64;
const MEMO_LIMIT = 4096;

function memoized(count: (text: string) => number): (text: string) => number {
  const memo = new Map<string, number>();
  return (text) => {
    if (text.length > SHORT_TEXT) return count(text);
    let n = memo.get(text);
    if (n === undefined) {
      n = count(text);
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(text, n);
    }
    return n;
  };
}

/** Loads the tokenizer once per thread (about half a second), on first use only. */
export function loadClientTokenizer(): Promise<ClientTokenizer> {
  loaded ??= import('gpt-tokenizer/encoding/cl100k_base').then((module) => ({
    count: memoized((text: string) => (text === '' ? 0 : module.countTokens(text))),
    encode: (text: string) => module.encode(text),
    decode: (tokens: number[]) => module.decode(tokens),
  }));
  return loaded;
}

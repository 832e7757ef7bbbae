import { messageOf } from '../core/errors.js';
import type { TokenizerProbe } from '../tokens/prompt-tokenizer.js';
import { asObject } from './completion-body.js';

const TIMEOUT_MS = 10_000;

/**
 * Where a server's tokenizer endpoints live: beside the OpenAI API's `/v1`, at the same prefix (llama.cpp's
 * `llama-server` and vLLM both serve `/tokenize` and `/detokenize` at the root).
 */
export function tokenizerBase(baseUrl: string): URL {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}/`;
  url.search = '';
  return url;
}

function isTokenList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((token) => Number.isInteger(token));
}

/**
 * The tokenizer of an OpenAI-compatible server that serves `/tokenize` and `/detokenize`: llama.cpp's shape
 * (`content` → `tokens`, `tokens` → `content`) and vLLM's (`prompt` → `tokens`, `tokens` → `prompt`) are both sent
 * and read. One request asks whether it is there; a server without it gets the client tokenizer instead.
 */
export async function probeServerTokenizer(
  baseUrl: string,
  model: string,
  headers: Readonly<Record<string, string>>,
): Promise<TokenizerProbe> {
  const base = tokenizerBase(baseUrl);
  const post = async (path: string, body: Record<string, unknown>): Promise<unknown> => {
    const response = await fetch(new URL(path, base), {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ model, ...body }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${new URL(path, base).href}`);
    return JSON.parse(text);
  };
  const encode = async (text: string): Promise<number[]> => {
    const tokens = asObject(
      await post('tokenize', { content: text, prompt: text, add_special: false, add_special_tokens: false }),
    )?.tokens;
    if (!isTokenList(tokens)) throw new Error(`${new URL('tokenize', base).href} answered without a list of token ids`);
    return tokens;
  };
  const decode = async (tokens: number[]): Promise<string> => {
    const body = await post('detokenize', { tokens });
    const text = asObject(body)?.content ?? asObject(body)?.prompt;
    if (typeof text !== 'string') throw new Error(`${new URL('detokenize', base).href} answered without the text`);
    return text;
  };
  try {
    const tokens = await encode('The capital of France is Paris');
    if (tokens.length === 0)
      return { unavailable: `${new URL('tokenize', base).href} returned no tokens for a sentence` };
    await decode(tokens);
  } catch (error) {
    return { unavailable: `the server has no usable tokenizer endpoint (${messageOf(error)})` };
  }
  return { tokenizer: { source: 'server', name: `${new URL('tokenize', base).href}`, encode, decode } };
}

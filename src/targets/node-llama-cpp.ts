import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { messageOf, usageError } from '../core/errors.js';

/**
 * The parts of node-llama-cpp 3.21.1 the GGUF target uses, typed here because the package is an optional install
 * (≈80 MB with its CPU binary): yardstick builds and runs without it, and loads it only for `kind: gguf`.
 */
export type Token = number & { readonly __token?: never };

export interface TokenProbabilities {
  next: { probabilities?: Map<Token, number> };
}

export type ControlledInput = Token | [Token, { generateNext: { probabilities: true } }];

export interface LlamaSequence {
  readonly contextTokens: Token[];
  readonly nextTokenIndex: number;
  readonly contextSize: number;
  eraseContextTokenRanges(ranges: { start: number; end: number }[]): Promise<void>;
  controlledEvaluate(input: ControlledInput[]): Promise<(TokenProbabilities | undefined)[]>;
  evaluate(
    tokens: Token[],
    options?: { temperature?: number; seed?: number },
  ): AsyncGenerator<Token, void, Token | Token[] | undefined>;
  evaluateWithMetadata(
    tokens: Token[],
    metadata: { probabilities: true },
    options?: { temperature?: number; seed?: number },
  ): AsyncGenerator<{ token: Token; probabilities: Map<Token, number> }, void, void | Token | Token[]>;
}

export interface LlamaContextHandle {
  getSequence(): LlamaSequence;
  dispose(): Promise<void>;
}

export interface LlamaTextHandle {
  tokenize(tokenizer: unknown): Token[];
}

export interface ChatWrapperHandle {
  generateContextState(options: { chatHistory: ChatHistoryItem[] }): { contextText: LlamaTextHandle };
}

export type ChatHistoryItem =
  { type: 'system'; text: string } | { type: 'user'; text: string } | { type: 'model'; response: string[] };

export interface LlamaModelHandle {
  readonly tokens: { readonly bos: Token | null };
  readonly tokenizer: unknown;
  readonly trainContextSize: number;
  tokenize(text: string, specialTokens?: boolean): Token[];
  detokenize(tokens: readonly Token[]): string;
  isEogToken(token: Token | undefined): boolean;
  createContext(options: { contextSize?: number; sequences?: number; threads?: number }): Promise<LlamaContextHandle>;
  dispose(): Promise<void>;
}

export interface LlamaHandle {
  loadModel(options: { modelPath: string }): Promise<LlamaModelHandle>;
  dispose(): Promise<void>;
}

export interface NodeLlamaCpp {
  getLlama(options: { gpu: false; build: 'never'; logLevel: 'error' | 'warn' }): Promise<LlamaHandle>;
  resolveChatWrapper(model: LlamaModelHandle): ChatWrapperHandle;
}

const PACKAGE = 'node-llama-cpp';
/** Where `npm run setup:gguf` installs the package when it is not in the project's own node_modules. */
const OPTIONAL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.optional');

function entryIn(root: string): string | null {
  const manifest = join(root, 'node_modules', PACKAGE, 'package.json');
  if (!existsSync(manifest)) return null;
  const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: { '.'?: { import?: string } } };
  return join(dirname(manifest), parsed.exports?.['.']?.import ?? 'dist/index.js');
}

let loaded: Promise<NodeLlamaCpp> | null = null;

/**
 * Imports node-llama-cpp: from the project's dependencies, else from `YARDSTICK_NODE_LLAMA_CPP_DIR` or the repository's
 * `.optional/` folder. Fails as a usage error that says how to install it.
 */
export function loadNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  loaded ??= (async () => {
    try {
      return (await import(PACKAGE)) as NodeLlamaCpp;
    } catch (first) {
      for (const root of [process.env.YARDSTICK_NODE_LLAMA_CPP_DIR, OPTIONAL_DIR]) {
        const entry = root === undefined || root === '' ? null : entryIn(root);
        if (entry !== null) return (await import(pathToFileURL(entry).href)) as NodeLlamaCpp;
      }
      loaded = null;
      throw usageError(
        'GGUF_UNAVAILABLE',
        `the gguf target needs node-llama-cpp 3.21.1, which is not installed (${messageOf(first).split('\n')[0] ?? ''})`,
        'install it with `npm run setup:gguf` (≈80 MB, CPU build), or `npm install node-llama-cpp@3.21.1` in your project',
      );
    }
  })();
  return loaded;
}

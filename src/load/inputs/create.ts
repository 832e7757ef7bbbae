import type { DatasetInputConfig, InputConfig } from '../bench-config-schema.js';
import type { ClientTokenizer } from '../../tokens/client-tokenizer.js';
import { conversationSource } from './conversation-request.js';
import { loadDataset, type LoadedDataset } from './dataset.js';
import { fileSource } from './from-file.js';
import type { InputSource } from './input-source.js';
import { syntheticSource, type PreparedPrompts } from './synthetic.js';

/** max_tokens of a dataset turn whose recorded answer is unknown (the synthetic default). */
const DATASET_FALLBACK_MAX_TOKENS = 64;

/** Reads a dataset input's conversations (exit 2 on a missing column or nothing usable). */
export function readDataset(config: DatasetInputConfig, tokenizer: ClientTokenizer): Promise<LoadedDataset> {
  return loadDataset(
    {
      path: config.path,
      format: config.format,
      column: config.column,
      conversations: config.conversations,
      maxTurns: config.maxTurns ?? null,
      maxTokens: config.maxTokens ?? null,
      fallbackMaxTokens: DATASET_FALLBACK_MAX_TOKENS,
      limit: config.limit ?? null,
    },
    (text) => tokenizer.count(text),
  );
}

/** Builds the input source a config describes; synthetic prompts come prepared (load/inputs/synthetic.ts). */
export async function createInputSource(
  config: InputConfig,
  tokenizer: ClientTokenizer,
  prompts: PreparedPrompts | null,
): Promise<InputSource> {
  if (config.kind === 'file') return fileSource(config.path, config.maxTokens ?? null, tokenizer);
  if (config.kind === 'dataset') {
    const dataset = await readDataset(config, tokenizer);
    return conversationSource(dataset.conversations, config.conversations === 'whole', (text) => tokenizer.count(text));
  }
  if (prompts === null) throw new Error('synthetic input needs its prompts prepared first (prepareSyntheticPrompts)');
  return syntheticSource(config, prompts);
}

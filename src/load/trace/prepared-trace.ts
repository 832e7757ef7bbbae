import type { LoadConfig } from '../bench-config-schema.js';
import { loadClientTokenizer } from '../../tokens/client-tokenizer.js';
import { clientPromptTokenizer, type PromptTokenizer } from '../../tokens/prompt-tokenizer.js';
import { traceFormatOf } from './trace-formats.js';
import { prepareTraceVocabulary, type TraceVocabulary } from './trace-prompts.js';
import { scanTrace, type TraceScan } from './trace-scan.js';

/** A trace checked and summarized, and the words its prompts are made of. */
export interface PreparedTrace {
  scan: TraceScan;
  vocabulary: TraceVocabulary;
}

type TraceLoad = Extract<LoadConfig, { profile: 'trace' }>;

/** Checks and summarizes a trace replay's trace (exit 2 on an unusable line). */
export function scanTraceOf(load: TraceLoad): TraceScan {
  return scanTrace(load.trace, traceFormatOf(load.trace, load.traceFormat), load.timeScale);
}

/**
 * Checks a trace replay's trace (exit 2 on an unusable line) and prepares its vocabulary in the tokens of
 * `tokenizer` (the target's own where it has one), or of the client tokenizer when null.
 */
export async function prepareTrace(load: TraceLoad, tokenizer: PromptTokenizer | null): Promise<PreparedTrace> {
  const scan = scanTraceOf(load);
  const counting = tokenizer ?? clientPromptTokenizer(await loadClientTokenizer());
  return { scan, vocabulary: await prepareTraceVocabulary(counting) };
}

import type { TraceJson } from '../efficiency/bench-json.js';

function lengths(stats: { min: number; max: number; mean: number }): string {
  return stats.min === stats.max ? `${stats.min}` : `${stats.min}–${stats.max} (mean ${stats.mean.toFixed(1)})`;
}

/** A replayed trace in one sentence: its size, span and speed, and the lengths it asked for. */
export function traceText(trace: TraceJson): string {
  const speed = trace.timeScale === 1 ? 'at its own times' : `with its times ×${trace.timeScale}`;
  const input =
    trace.inputTokens === null ? '' : `prompts of ${lengths(trace.inputTokens)} tokens counted by ${trace.tokenizer}`;
  const text = trace.withPromptText === 0 ? '' : `${trace.withPromptText} prompts given as text`;
  const blocks = trace.withBlocks === 0 ? '' : `${trace.withBlocks} naming their shared blocks`;
  const output = `max_tokens ${lengths(trace.outputTokens)}`;
  const parts = [input, text, blocks, output].filter((part) => part !== '');
  return `${trace.requests} requests of a ${trace.format} trace (${trace.path}) spanning ${trace.spanS.toFixed(1)} s, replayed ${speed} (mean ${trace.meanRatePerS.toFixed(2)}/s); ${parts.join('; ')}`;
}

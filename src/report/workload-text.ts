import type { DatasetJson, TraceJson } from '../efficiency/bench-json.js';
import type { SessionsSummary } from '../efficiency/session-recorder.js';

function lengths(stats: { min: number; max: number; mean: number }): string {
  return stats.min === stats.max ? `${stats.min}` : `${stats.min}–${stats.max} (mean ${stats.mean.toFixed(1)})`;
}

/** A replayed trace in one sentence: its size, span and speed, and the lengths it asked for. */
export function traceText(trace: TraceJson): string {
  const speed = trace.timeScale === 1 ? 'at its own times' : `with its times ×${trace.timeScale}`;
  const input =
    trace.inputTokens === null
      ? ''
      : `prompts of ${lengths(trace.inputTokens)} tokens counted by ${trace.tokenizer}${trace.exactLengths === false ? ' (approximately: it counts too few of the prompt words as one token each)' : ''}`;
  const text = trace.withPromptText === 0 ? '' : `${trace.withPromptText} prompts given as text`;
  const blocks = trace.withBlocks === 0 ? '' : `${trace.withBlocks} naming their shared blocks`;
  const output = `max_tokens ${lengths(trace.outputTokens)}`;
  const parts = [input, text, blocks, output].filter((part) => part !== '');
  return `${trace.requests} requests of a ${trace.format} trace (${trace.path}) spanning ${trace.spanS.toFixed(1)} s, replayed ${speed} (mean ${trace.meanRatePerS.toFixed(2)}/s); ${parts.join('; ')}`;
}

/** A dataset as prompt source in one sentence: what was used of it, how, and what was left out. */
export function datasetText(dataset: DatasetJson): string {
  const mode =
    dataset.conversations === 'whole'
      ? `whole conversations of ${dataset.turns.mean.toFixed(1)} turns on average (at most ${dataset.turns.max})`
      : 'first turns';
  const skipped =
    dataset.skipped === 0 ? '' : `; ${dataset.skipped} records left out (first: ${dataset.skipReasons[0] ?? ''})`;
  return `${dataset.used} of ${dataset.records} records of a ${dataset.format} dataset (${dataset.path}) as ${mode}${skipped}`;
}

/** Multi-turn sessions: how many ran and how they ended. */
export function sessionsText(sessions: SessionsSummary): string {
  return `${sessions.started} sessions: ${sessions.completed} completed, ${sessions.broken} broken by a failed turn, ${sessions.cut} cut by the end of the run`;
}

/** Rows of each turn's measured requests, mean input tokens (the history grows) and ttft/e2e p50 and p95 (ms). */
export function turnRows(sessions: SessionsSummary): string[][] {
  const ms = (value: number | undefined): string => (value === undefined ? '—' : value.toFixed(1));
  return sessions.byTurn.map((t) => [
    String(t.turn),
    String(t.completed),
    t.meanInputTokens === null ? '—' : t.meanInputTokens.toFixed(0),
    ms(t.ttftMs?.p50),
    ms(t.ttftMs?.p95),
    ms(t.e2eMs?.p50),
    ms(t.e2eMs?.p95),
  ]);
}

export const TURN_HEADER = ['turn', 'requests', 'input tokens', 'ttft p50', 'ttft p95', 'e2e p50', 'e2e p95'];

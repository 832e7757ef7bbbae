import { usageError, type Problem } from '../../core/errors.js';
import { isEntry, traceLines } from './trace-entries.js';
import type { TraceFormat } from './trace-formats.js';

/** Problems listed at most: the first ones say what is wrong with the file. */
const MAX_PROBLEMS = 20;

/** Running min, max and mean of a length. */
interface LengthStats {
  min: number;
  max: number;
  mean: number;
}

/** What a trace holds, read once before it is replayed (streamed: its memory does not grow with its length). */
export interface TraceScan {
  path: string;
  format: TraceFormat;
  requests: number;
  /** The trace's own span, first arrival to last (s). */
  spanS: number;
  /** Arrival times of the replay are the trace's times multiplied by this (2 replays at half speed). */
  timeScale: number;
  /** Requests per second of the replay: requests over its scaled span. */
  meanRatePerS: number;
  /** Prompt lengths the trace gives (lines with a prompt's text instead are not counted). */
  inputTokens: LengthStats | null;
  outputTokens: LengthStats;
  /** Lines that give their prompt as text, and lines that name their prompt's blocks (`hash_ids`). */
  withPromptText: number;
  withBlocks: number;
}

function grow(stats: { min: number; max: number; sum: number; n: number }, value: number): void {
  stats.min = Math.min(stats.min, value);
  stats.max = Math.max(stats.max, value);
  stats.sum += value;
  stats.n += 1;
}

function finish(stats: { min: number; max: number; sum: number; n: number }): LengthStats | null {
  return stats.n === 0 ? null : { min: stats.min, max: stats.max, mean: stats.sum / stats.n };
}

/**
 * Reads a whole trace once and checks every line (exit 2 with the first unusable lines listed): each must parse,
 * and arrival times must not go backwards. Holds only counters.
 */
export function scanTrace(path: string, format: TraceFormat, timeScale: number): TraceScan {
  const problems: Problem[] = [];
  let unusable = 0;
  let requests = 0;
  let first: number | null = null;
  let last = 0;
  let withPromptText = 0;
  let withBlocks = 0;
  const input = { min: Infinity, max: -Infinity, sum: 0, n: 0 };
  const output = { min: Infinity, max: -Infinity, sum: 0, n: 0 };
  for (const item of traceLines(path, format)) {
    if (!isEntry(item)) {
      unusable += 1;
      if (problems.length < MAX_PROBLEMS) problems.push(item);
      continue;
    }
    if (item.atMs < last) {
      unusable += 1;
      if (problems.length < MAX_PROBLEMS)
        problems.push({
          where: `${path}:${item.line}`,
          field: format === 'burstgpt' ? 'Timestamp' : 'timestamp',
          message: `${item.atMs} ms is earlier than the line before (${last} ms)`,
          hint: 'sort the trace by arrival time',
        });
      continue;
    }
    first ??= item.atMs;
    last = item.atMs;
    requests += 1;
    if (item.inputTokens !== null) grow(input, item.inputTokens);
    grow(output, item.outputTokens);
    if (item.prompt !== null) withPromptText += 1;
    if (item.hashIds !== null) withBlocks += 1;
  }
  if (unusable > 0)
    throw usageError(
      'TRACE_INVALID',
      `${path} has ${unusable} unusable line${unusable === 1 ? '' : 's'}${unusable > problems.length ? ` (the first ${problems.length} listed)` : ''}`,
      'fix the lines listed above',
      problems,
    );
  if (requests === 0) throw usageError('TRACE_EMPTY', `${path} has no requests`, 'give a trace with at least one line');
  const spanS = (last - (first ?? 0)) / 1000;
  return {
    path,
    format,
    requests,
    spanS,
    timeScale,
    meanRatePerS: spanS === 0 ? requests : requests / (spanS * timeScale),
    inputTokens: finish(input),
    outputTokens: finish(output) ?? { min: 0, max: 0, mean: 0 },
    withPromptText,
    withBlocks,
  };
}

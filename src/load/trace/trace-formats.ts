import type { Problem } from '../../core/errors.js';

/**
 * The published trace layouts yardstick reads. `mooncake`: JSON lines of `timestamp` (ms from the trace's start),
 * `input_length`, `output_length` and `hash_ids` (one id per 512-token block of the prompt; equal ids mean equal
 * blocks), as Mooncake's traces are written; a line may give its `prompt` text instead of `input_length`.
 * `burstgpt`: BurstGPT's CSV, `Timestamp` (seconds), `Model`, `Request tokens`, `Response tokens`, …
 */
export const TRACE_FORMATS = ['mooncake', 'burstgpt'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** One request of a trace: when it arrived and what it asked for. */
export interface TraceEntry {
  line: number;
  /** Arrival time in ms on the trace's own clock. */
  atMs: number;
  /** Prompt length in tokens; null when the line gives its prompt text. */
  inputTokens: number | null;
  /** Tokens the response had (at least 1: a request that produced none is asked for one). */
  outputTokens: number;
  /** Ids of the prompt's blocks (equal ids, equal text), or null. */
  hashIds: number[] | null;
  prompt: string | null;
}

/** The format a trace path implies: BurstGPT for CSV, Mooncake's JSON lines otherwise. */
export function traceFormatOf(path: string, declared: TraceFormat | 'auto'): TraceFormat {
  if (declared !== 'auto') return declared;
  return path.toLowerCase().endsWith('.csv') ? 'burstgpt' : 'mooncake';
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function problem(where: string, field: string, message: string, hint?: string): Problem {
  return hint === undefined ? { where, field, message } : { where, field, message, hint };
}

/** A Mooncake-layout line as an entry, or what is wrong with it. */
export function parseMooncakeLine(text: string, line: number, where: string): TraceEntry | Problem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return problem(
      where,
      '',
      'not a JSON object',
      'each line is one request: {"timestamp": ms, "input_length": n, "output_length": n}',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return problem(where, '', 'not a JSON object');
  const fields = new Map<string, unknown>(Object.entries(value));
  const timestamp = fields.get('timestamp');
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0)
    return problem(
      where,
      'timestamp',
      `'${String(timestamp)}' is not a time in ms`,
      'give ms from the trace start, e.g. 1500',
    );
  const prompt = fields.get('prompt');
  const input = fields.get('input_length');
  let inputTokens: number | null = null;
  if (prompt !== undefined) {
    if (typeof prompt !== 'string' || prompt === '') return problem(where, 'prompt', 'must be non-empty text');
  } else if (isCount(input) && input > 0) inputTokens = input;
  else
    return problem(
      where,
      'input_length',
      `'${String(input)}' is not a positive token count`,
      "give 'input_length' or 'prompt'",
    );
  const output = fields.get('output_length');
  if (!isCount(output)) return problem(where, 'output_length', `'${String(output)}' is not a token count`);
  const hashIds = fields.get('hash_ids');
  if (hashIds !== undefined && !(Array.isArray(hashIds) && hashIds.every(isCount)))
    return problem(where, 'hash_ids', 'must be a list of non-negative integers');
  return {
    line,
    atMs: timestamp,
    inputTokens,
    outputTokens: Math.max(1, output),
    hashIds: Array.isArray(hashIds) ? hashIds.filter(isCount) : null,
    prompt: typeof prompt === 'string' ? prompt : null,
  };
}

/** BurstGPT's columns yardstick reads, by header name. */
const BURSTGPT_COLUMNS = ['Timestamp', 'Request tokens', 'Response tokens'] as const;

/** Where BurstGPT's columns are in a header line; a problem naming the missing ones otherwise. */
export function burstGptColumns(header: string, where: string): number[] | Problem {
  const names = header.split(',').map((name) => name.trim());
  const missing = BURSTGPT_COLUMNS.filter((name) => !names.includes(name));
  if (missing.length > 0)
    return problem(
      where,
      missing.join(', '),
      `missing from the header (${names.join(', ')})`,
      'a BurstGPT trace starts with: Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type',
    );
  return BURSTGPT_COLUMNS.map((name) => names.indexOf(name));
}

/** A BurstGPT CSV line as an entry (its Timestamp is in seconds), or what is wrong with it. */
export function parseBurstGptLine(
  text: string,
  line: number,
  where: string,
  columns: readonly number[],
): TraceEntry | Problem {
  const cells = text.split(',');
  const [at, input, output] = columns.map((c) => Number((cells[c] ?? '').trim()));
  if (at === undefined || !Number.isFinite(at) || at < 0)
    return problem(where, 'Timestamp', `'${cells[columns[0] ?? 0] ?? ''}' is not a time in seconds`);
  if (input === undefined || !Number.isInteger(input) || input < 1)
    return problem(where, 'Request tokens', `'${cells[columns[1] ?? 0] ?? ''}' is not a positive token count`);
  if (output === undefined || !Number.isInteger(output) || output < 0)
    return problem(where, 'Response tokens', `'${cells[columns[2] ?? 0] ?? ''}' is not a token count`);
  return { line, atMs: at * 1000, inputTokens: input, outputTokens: Math.max(1, output), hashIds: null, prompt: null };
}

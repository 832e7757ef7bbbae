import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { messageOf, usageError } from '../../core/errors.js';
import { loadRecords, type SourceRecord } from '../../data/read-records.js';
import type { Conversation } from './input-source.js';
import { conversationToSend, SHAREGPT_FIELDS, shareGptConversation, type RecordedConversation } from './sharegpt.js';

/** How a dataset's records become prompts: ShareGPT conversations, or one text column (Hugging Face style). */
export type DatasetFormat = 'sharegpt' | 'column';

export interface DatasetOptions {
  path: string;
  format: DatasetFormat | 'auto';
  /** The prompt column of the `column` format. */
  column: string;
  /** `first-turn`: each conversation's first user turn alone; `whole`: every turn, as a multi-turn session. */
  conversations: 'first-turn' | 'whole';
  maxTurns: number | null;
  /** max_tokens for every request; null for each turn's recorded answer length. */
  maxTokens: number | null;
  /** max_tokens when neither is known. */
  fallbackMaxTokens: number;
  /** Only the first this many usable records; null for all. */
  limit: number | null;
}

/** A dataset's conversations, and how many of its records could not be used (with the first reasons). */
export interface LoadedDataset {
  format: DatasetFormat;
  records: number;
  conversations: Conversation[];
  skipped: number;
  skipReasons: string[];
}

/** A `.json` file holding one array of records (ShareGPT's own files), line numbers counted by position. */
function readJsonArray(path: string): SourceRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw usageError(
      'DATA_INVALID',
      `cannot read ${path} as JSON: ${messageOf(error)}`,
      'give a JSON array, or JSON lines (.jsonl)',
    );
  }
  if (!Array.isArray(value))
    throw usageError(
      'DATA_INVALID',
      `${path} is not a JSON array of records`,
      'give [{...}, …], or JSON lines (.jsonl)',
    );
  return value.flatMap((item: unknown, i) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? [{ line: i + 1, fields: Object.fromEntries(Object.entries(item)) }]
      : [],
  );
}

async function readDatasetRecords(path: string): Promise<SourceRecord[]> {
  const records = extname(path).toLowerCase() === '.json' ? readJsonArray(path) : await loadRecords(path);
  if (records.length === 0) throw usageError('DATA_EMPTY', `${path} has no records`, 'add at least one record');
  return records;
}

function formatOf(records: readonly SourceRecord[], declared: DatasetFormat | 'auto'): DatasetFormat {
  if (declared !== 'auto') return declared;
  const first = records[0]?.fields ?? {};
  return SHAREGPT_FIELDS.some((name) => Array.isArray(first[name])) ? 'sharegpt' : 'column';
}

/** Reasons listed at most, for a run's record of what it left out. */
const MAX_REASONS = 5;

/**
 * Reads a dataset (ShareGPT JSON or JSON lines; JSON lines, CSV, TSV or Parquet with a prompt column) into the
 * conversations a run sends. Records with no usable prompt are left out and counted; a missing column, or a
 * dataset with nothing usable, is a usage error (exit 2).
 */
export async function loadDataset(options: DatasetOptions, count: (text: string) => number): Promise<LoadedDataset> {
  const records = await readDatasetRecords(options.path);
  const format = formatOf(records, options.format);
  if (format === 'column' && !records.some((r) => options.column in r.fields)) {
    const names = Object.keys(records[0]?.fields ?? {});
    throw usageError(
      'DATASET_COLUMN_MISSING',
      `${options.path}: no record has a '${options.column}' column (it has: ${names.join(', ')})`,
      `name the prompt column with --prompt-column, e.g. --prompt-column ${names[0] ?? 'text'}, or use a ShareGPT file`,
    );
  }
  const conversations: Conversation[] = [];
  const skipReasons: string[] = [];
  let skipped = 0;
  for (const record of records) {
    if (options.limit !== null && conversations.length >= options.limit) break;
    const recorded = recordedConversation(record, format, options.column);
    if (typeof recorded === 'string') {
      skipped += 1;
      if (skipReasons.length < MAX_REASONS) skipReasons.push(`${options.path}:${record.line}: ${recorded}`);
      continue;
    }
    const turns =
      options.conversations === 'first-turn' ? { ...recorded, turns: recorded.turns.slice(0, 1) } : recorded;
    conversations.push(conversationToSend(turns, options, count));
  }
  if (conversations.length === 0)
    throw usageError(
      'DATASET_EMPTY',
      `${options.path} has no usable prompt in ${records.length} records (${skipReasons[0] ?? 'none read'})`,
      format === 'sharegpt'
        ? 'each record needs a conversation with a user turn'
        : `each record needs text in '${options.column}'`,
    );
  return { format, records: records.length, conversations, skipped, skipReasons };
}

function recordedConversation(
  record: SourceRecord,
  format: DatasetFormat,
  column: string,
): RecordedConversation | string {
  if (format === 'sharegpt')
    return shareGptConversation(record.fields) ?? 'no conversation with a user turn (conversations: [{from, value}])';
  const text = record.fields[column];
  if (typeof text !== 'string' || text.trim() === '') return `'${column}' is not text`;
  return { system: null, turns: [{ user: text, answer: null }] };
}

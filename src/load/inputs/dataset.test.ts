import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { YardstickError } from '../../core/errors.js';
import { loadDataset, type DatasetOptions } from './dataset.js';
import { shareGptConversation } from './sharegpt.js';

const dir = mkdtempSync(join(tmpdir(), 'yardstick-dataset-'));
const words = (text: string): number => text.split(/\s+/).filter((w) => w !== '').length;

function options(path: string, extra: Partial<DatasetOptions> = {}): DatasetOptions {
  return {
    path,
    format: 'auto',
    column: 'prompt',
    conversations: 'whole',
    maxTurns: null,
    maxTokens: null,
    fallbackMaxTokens: 64,
    limit: null,
    ...extra,
  };
}

const shareGpt = [
  {
    id: 'a',
    conversations: [
      { from: 'system', value: 'be brief' },
      { from: 'human', value: 'hello there' },
      { from: 'gpt', value: 'hi, how can I help' },
      { from: 'human', value: 'tell me' },
      { from: 'human', value: 'a story' },
      { from: 'gpt', value: 'once upon a time' },
    ],
  },
  { id: 'b', conversations: [{ from: 'gpt', value: 'an answer with no question' }] },
  {
    id: 'c',
    conversations: [
      { from: 'gpt', value: 'leading answer' },
      { from: 'human', value: 'question only' },
    ],
  },
  {
    id: 'd',
    messages: [
      { role: 'user', content: 'openai style' },
      { role: 'assistant', content: 'yes it is' },
    ],
  },
];

describe('ShareGPT conversations', () => {
  it('reads turns with their answers: the system prompt, consecutive user turns joined, leading answers dropped', () => {
    expect(shareGptConversation(shareGpt[0] ?? {})).toEqual({
      system: 'be brief',
      turns: [
        { user: 'hello there', answer: 'hi, how can I help' },
        { user: 'tell me\na story', answer: 'once upon a time' },
      ],
    });
    expect(shareGptConversation(shareGpt[1] ?? {})).toBeNull();
    expect(shareGptConversation(shareGpt[2] ?? {})).toEqual({
      system: null,
      turns: [{ user: 'question only', answer: null }],
    });
    expect(shareGptConversation({ conversations: [{ from: 'human' }] })).toBeNull();
  });

  it('loads a JSON array: each turn asks for its recorded answer length, records without a question are counted out', async () => {
    const path = join(dir, 'sharegpt.json');
    writeFileSync(path, JSON.stringify(shareGpt));
    const loaded = await loadDataset(options(path), words);
    expect(loaded).toMatchObject({ format: 'sharegpt', records: 4, skipped: 1 });
    expect(loaded.skipReasons).toEqual([
      `${path}:2: no conversation with a user turn (conversations: [{from, value}])`,
    ]);
    expect(loaded.conversations.map((c) => c.turns.map((t) => t.maxTokens))).toEqual([[5, 4], [64], [3]]);
    const first = await loadDataset(options(path, { conversations: 'first-turn', maxTokens: 9, limit: 2 }), words);
    expect(first.conversations).toEqual([
      { system: 'be brief', turns: [{ user: 'hello there', maxTokens: 9 }] },
      { system: null, turns: [{ user: 'question only', maxTokens: 9 }] },
    ]);
  });

  it('loads JSON lines and cuts conversations at maxTurns', async () => {
    const path = join(dir, 'sharegpt.jsonl');
    writeFileSync(path, shareGpt.map((r) => JSON.stringify(r)).join('\n'));
    const loaded = await loadDataset(options(path, { maxTurns: 1 }), words);
    expect(loaded.conversations.map((c) => c.turns.length)).toEqual([1, 1, 1]);
  });
});

describe('datasets with a prompt column', () => {
  it('reads the named column of a Parquet file, leaving out empty values', async () => {
    const path = join(dir, 'prompts.parquet');
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'question', data: ['what is 2+2', '', 'name a colour'], type: 'STRING' },
        { name: 'id', data: [1, 2, 3], type: 'INT32' },
      ],
    });
    writeFileSync(path, Buffer.from(buffer));
    const loaded = await loadDataset(options(path, { column: 'question' }), words);
    expect(loaded).toMatchObject({ format: 'column', records: 3, skipped: 1 });
    expect(loaded.conversations).toEqual([
      { system: null, turns: [{ user: 'what is 2+2', maxTokens: 64 }] },
      { system: null, turns: [{ user: 'name a colour', maxTokens: 64 }] },
    ]);
  });

  it('names the columns there are when the prompt column is missing, and refuses a dataset with nothing usable', async () => {
    const path = join(dir, 'texts.jsonl');
    writeFileSync(path, `${JSON.stringify({ text: 'a' })}\n${JSON.stringify({ text: 'b', label: 1 })}\n`);
    const missing = await loadDataset(options(path), words).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(YardstickError);
    expect(missing).toMatchObject({ code: 'DATASET_COLUMN_MISSING' });
    expect(String(missing)).toContain("no record has a 'prompt' column (it has: text)");
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, `${JSON.stringify({ prompt: '' })}\n`);
    await expect(loadDataset(options(empty), words)).rejects.toMatchObject({ code: 'DATASET_EMPTY' });
  });
});

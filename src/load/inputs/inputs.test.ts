import { beforeAll, describe, expect, it } from 'vitest';
import { tempFile, yardstickErrorOf } from '../../../test/helpers/errors.js';
import { loadClientTokenizer, type ClientTokenizer } from '../../tokens/client-tokenizer.js';
import { fileSource } from './from-file.js';
import { clientPromptTokenizer, type PromptTokenizer } from '../../tokens/prompt-tokenizer.js';
import { prepareSyntheticPrompts, syntheticSource } from './synthetic.js';

let tokenizer: ClientTokenizer;

beforeAll(async () => {
  tokenizer = await loadClientTokenizer();
});

describe('synthetic prompts', () => {
  it('makes distinct seeded prompts of exactly the requested token length', async () => {
    const options = { inputTokens: 50, outputTokens: 20, fixedOutputLength: true, uniquePrompts: 10, seed: 3 };
    const prepared = await prepareSyntheticPrompts(options, clientPromptTokenizer(tokenizer));
    const again = await prepareSyntheticPrompts(options, clientPromptTokenizer(tokenizer));
    const source = syntheticSource(options, prepared);
    const prompts = Array.from({ length: 10 }, (_, i) => source.requestAt(i));
    expect(new Set(prompts.map((p) => p.prompt)).size).toBe(10);
    for (const p of prompts) {
      expect(tokenizer.count(p.prompt)).toBe(50);
      expect(p.clientTokensIn).toBe(50);
    }
    expect(again.texts).toEqual(prepared.texts);
    expect(prepared.tokenizer).toEqual({ source: 'client', name: 'cl100k_base (client)' });
    expect(source.requestAt(13)).toMatchObject({
      index: 13,
      promptId: 3,
      prompt: prompts[3]?.prompt,
      maxTokens: 20,
      extraBody: { ignore_eos: true, min_tokens: 20 },
    });
  });

  it('starts the share of prompts a bucket asks for with one of its shared prefixes, each exactly its length', async () => {
    const options = {
      inputTokens: 40,
      outputTokens: 8,
      uniquePrompts: 200,
      seed: 5,
      prefixes: [
        { count: 2, tokens: 30, share: 0.5 },
        { count: 1, tokens: 10, share: 0.25 },
      ],
    };
    const prepared = await prepareSyntheticPrompts(options, clientPromptTokenizer(tokenizer));
    const ids = prepared.prefixIds;
    const inBucket = (b: number): number => ids.filter((id) => id?.startsWith(`${b}/`) === true).length;
    // 200 prompts: about 100 and 50 (binomial, within 4 standard deviations).
    expect(Math.abs(inBucket(0) - 100)).toBeLessThan(29);
    expect(Math.abs(inBucket(1) - 50)).toBeLessThan(25);
    expect(new Set(ids.filter((id) => id !== null))).toEqual(new Set(['0/0', '0/1', '1/0']));
    // Prompts sharing a prefix share their first 30 (or 10) tokens exactly, and differ after it.
    const starts = (id: string, tokens: number): Set<string> =>
      new Set(
        prepared.texts
          .filter((_, i) => ids[i] === id)
          .map((text) => tokenizer.decode(tokenizer.encode(text).slice(0, tokens))),
      );
    expect(starts('0/0', 30).size).toBe(1);
    expect(starts('1/0', 10).size).toBe(1);
    expect(starts('0/0', 32).size).toBeGreaterThan(1);
    expect(prepared.tokenCounts.every((n) => n === 40)).toBe(true);
  });

  it('re-cuts a prompt whose decoded text tokenizes longer, as a SentencePiece decode that starts with a space does', async () => {
    // One token per word; decoding puts a space before every word, and a leading space would count as a token.
    const vocabulary = new Map<string, number>();
    const encode = (text: string): Promise<number[]> =>
      Promise.resolve(
        text.split(' ').map((word) => {
          if (!vocabulary.has(word)) vocabulary.set(word, vocabulary.size);
          return vocabulary.get(word) ?? -1;
        }),
      );
    const words = (): string[] => [...vocabulary.keys()];
    const spaced: PromptTokenizer = {
      source: 'server',
      name: 'words',
      encode,
      decode: (ids) => Promise.resolve(ids.map((id) => ` ${words()[id] ?? ''}`).join('')),
    };
    const prepared = await prepareSyntheticPrompts(
      { inputTokens: 12, outputTokens: 8, uniquePrompts: 4, seed: 9 },
      spaced,
    );
    expect(prepared.tokenCounts).toEqual([12, 12, 12, 12]);
    for (const text of prepared.texts) expect(text.startsWith(' ')).toBe(false);
    expect(prepared.tokenizer).toEqual({ source: 'server', name: 'words' });
  });
});

describe('fileSource', () => {
  it('reads prompts and messages from JSONL and cycles through them', () => {
    const path = tempFile(
      'p.jsonl',
      '{"prompt": "hello there", "max_tokens": 5}\n\n{"messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}]}\n',
    );
    const source = fileSource(path, 32, tokenizer);
    expect(source.size).toBe(2);
    expect(source.requestAt(0)).toMatchObject({ prompt: 'hello there', messages: null, maxTokens: 5, promptId: 0 });
    expect(source.requestAt(3)).toMatchObject({
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
      maxTokens: 32,
      promptId: 1,
    });
  });

  it('reads a CSV with quoted fields', () => {
    const source = fileSource(tempFile('p.csv', 'prompt,max_tokens\n"a, b\nand c",7\nplain,\n'), null, tokenizer);
    expect(source.requestAt(0)).toMatchObject({ prompt: 'a, b\nand c', maxTokens: 7 });
    expect(source.requestAt(1)).toMatchObject({ prompt: 'plain', maxTokens: null });
  });

  it('lists every unusable row with file, line and field', () => {
    const path = tempFile(
      'bad.jsonl',
      '{"prompt": "ok"}\n{"text": "no prompt"}\n{"prompt": "x", "max_tokens": -2}\n{"messages": [{"role": "wizard", "content": "x"}]}\nnot json\n',
    );
    const error = yardstickErrorOf(() => fileSource(path, null, tokenizer));
    expect(error.exitCode).toBe(2);
    expect(error.problems.map((p) => `${p.where} ${p.field}`)).toEqual([`${path}:5 `]);
    const fixed = tempFile(
      'bad2.jsonl',
      '{"prompt": "ok"}\n{"text": "no prompt"}\n{"prompt": "x", "max_tokens": -2}\n{"messages": [{"role": "wizard", "content": "x"}]}\n',
    );
    const rows = yardstickErrorOf(() => fileSource(fixed, null, tokenizer));
    expect(rows.code).toBe('INPUT_INVALID');
    expect(rows.problems.map((p) => `${p.where} ${p.field}`)).toEqual([
      `${fixed}:2 prompt`,
      `${fixed}:3 max_tokens`,
      `${fixed}:4 messages`,
    ]);
  });

  it('refuses empty files and unknown formats', () => {
    expect(yardstickErrorOf(() => fileSource(tempFile('e.jsonl', '\n\n'), null, tokenizer)).code).toBe('DATA_EMPTY');
    expect(yardstickErrorOf(() => fileSource(tempFile('p.txt', 'hello'), null, tokenizer)).code).toBe('DATA_FORMAT');
    expect(yardstickErrorOf(() => fileSource('/nonexistent/p.jsonl', null, tokenizer)).code).toBe('DATA_UNREADABLE');
  });
});

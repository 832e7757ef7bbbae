import { beforeAll, describe, expect, it } from 'vitest';
import { tempFile, yardstickErrorOf } from '../../../test/helpers/errors.js';
import { loadClientTokenizer, type ClientTokenizer } from '../../tokens/client-tokenizer.js';
import { fileSource } from './from-file.js';
import { syntheticSource } from './synthetic.js';

let tokenizer: ClientTokenizer;

beforeAll(async () => {
  tokenizer = await loadClientTokenizer();
});


describe('syntheticSource', () => {
  it('makes distinct seeded prompts of the requested token length', () => {
    const source = syntheticSource({ inputTokens: 50, outputTokens: 20, fixedOutputLength: true, uniquePrompts: 10, seed: 3 }, tokenizer);
    const again = syntheticSource({ inputTokens: 50, outputTokens: 20, fixedOutputLength: true, uniquePrompts: 10, seed: 3 }, tokenizer);
    const prompts = Array.from({ length: 10 }, (_, i) => source.requestAt(i));
    expect(new Set(prompts.map((p) => p.prompt)).size).toBe(10);
    for (const p of prompts) expect(Math.abs(tokenizer.count(p.prompt) - 50)).toBeLessThanOrEqual(1);
    expect(again.requestAt(4).prompt).toBe(prompts[4]?.prompt);
    expect(source.requestAt(13)).toMatchObject({ index: 13, promptId: 3, prompt: prompts[3]?.prompt, maxTokens: 20, extraBody: { ignore_eos: true, min_tokens: 20 } });
  });
});

describe('fileSource', () => {
  it('reads prompts and messages from JSONL and cycles through them', () => {
    const path = tempFile('p.jsonl', '{"prompt": "hello there", "max_tokens": 5}\n\n{"messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}]}\n');
    const source = fileSource(path, 32, tokenizer);
    expect(source.size).toBe(2);
    expect(source.requestAt(0)).toMatchObject({ prompt: 'hello there', messages: null, maxTokens: 5, promptId: 0 });
    expect(source.requestAt(3)).toMatchObject({ messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }], maxTokens: 32, promptId: 1 });
  });

  it('reads a CSV with quoted fields', () => {
    const source = fileSource(tempFile('p.csv', 'prompt,max_tokens\n"a, b\nand c",7\nplain,\n'), null, tokenizer);
    expect(source.requestAt(0)).toMatchObject({ prompt: 'a, b\nand c', maxTokens: 7 });
    expect(source.requestAt(1)).toMatchObject({ prompt: 'plain', maxTokens: null });
  });

  it('lists every unusable row with file, line and field', () => {
    const path = tempFile('bad.jsonl', '{"prompt": "ok"}\n{"text": "no prompt"}\n{"prompt": "x", "max_tokens": -2}\n{"messages": [{"role": "wizard", "content": "x"}]}\nnot json\n');
    const error = yardstickErrorOf(() => fileSource(path, null, tokenizer));
    expect(error.exitCode).toBe(2);
    expect(error.problems.map((p) => `${p.where} ${p.field}`)).toEqual([`${path}:5 `]);
    const fixed = tempFile('bad2.jsonl', '{"prompt": "ok"}\n{"text": "no prompt"}\n{"prompt": "x", "max_tokens": -2}\n{"messages": [{"role": "wizard", "content": "x"}]}\n');
    const rows = yardstickErrorOf(() => fileSource(fixed, null, tokenizer));
    expect(rows.code).toBe('INPUT_INVALID');
    expect(rows.problems.map((p) => `${p.where} ${p.field}`)).toEqual([`${fixed}:2 prompt`, `${fixed}:3 max_tokens`, `${fixed}:4 messages`]);
  });

  it('refuses empty files and unknown formats', () => {
    expect(yardstickErrorOf(() => fileSource(tempFile('e.jsonl', '\n\n'), null, tokenizer)).code).toBe('DATA_EMPTY');
    expect(yardstickErrorOf(() => fileSource(tempFile('p.txt', 'hello'), null, tokenizer)).code).toBe('DATA_FORMAT');
    expect(yardstickErrorOf(() => fileSource('/nonexistent/p.jsonl', null, tokenizer)).code).toBe('DATA_UNREADABLE');
  });
});

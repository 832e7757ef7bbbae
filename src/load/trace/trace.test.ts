import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { monotonicNs } from '../../core/clock.js';
import { YardstickError } from '../../core/errors.js';
import type { TargetRequest } from '../../core/types.js';
import { functionTarget } from '../../api/function-target.js';
import type { Target } from '../../targets/target.js';
import { loadBenchConfig } from '../load-bench-config.js';
import { runLoad } from '../engine.js';
import { textLines } from './text-lines.js';
import { scanTrace } from './trace-scan.js';
import { prepareTraceVocabulary, TracePrompts, type TraceVocabulary } from './trace-prompts.js';
import type { PromptTokenizer } from '../../tokens/prompt-tokenizer.js';
import { WORDS } from '../inputs/synthetic.js';
import { traceFormatOf } from './trace-formats.js';

const dir = mkdtempSync(join(tmpdir(), 'yardstick-trace-'));
let files = 0;
function write(text: string, extension = 'jsonl'): string {
  files += 1;
  const path = join(dir, `trace-${files}.${extension}`);
  writeFileSync(path, text);
  return path;
}

const mooncake = (rows: { t: number; i: number; o: number; h?: number[] }[]): string =>
  rows
    .map((r) =>
      JSON.stringify({
        timestamp: r.t,
        input_length: r.i,
        output_length: r.o,
        ...(r.h === undefined ? {} : { hash_ids: r.h }),
      }),
    )
    .join('\n');

function problemsOf(run: () => unknown): { code: string; wheres: string[]; fields: string[] } {
  try {
    run();
  } catch (error) {
    if (!(error instanceof YardstickError)) throw error;
    return {
      code: error.code,
      wheres: error.problems.map((p) => p.where),
      fields: error.problems.map((p) => p.field),
    };
  }
  throw new Error('expected a usage error');
}

describe('text lines', () => {
  it('joins lines split across reads, multi-byte characters included, and numbers them', () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => `${i} ${'é'.repeat(20)} 😀 ${i % 7}`);
    const path = write(`${lines.join('\r\n')}\n`, 'txt');
    const read = [...textLines(path)];
    // The last line break ends the last line; it does not start an empty one.
    expect(read.length).toBe(40_000);
    expect(read.map((l) => l.text)).toEqual(lines);
    expect(read[39_999]).toEqual({ line: 40_000, text: lines[39_999] });
  });

  it('reads a line longer than many reads, and a last line without a line break', () => {
    const long = 'ü'.repeat(300_000);
    const read = [...textLines(write(`short\n${long}\nend`, 'txt'))];
    expect(read).toEqual([
      { line: 1, text: 'short' },
      { line: 2, text: long },
      { line: 3, text: 'end' },
    ]);
  });
});

describe('trace formats and checks', () => {
  it('reads a Mooncake trace: its span, rate and lengths, at a time scale', () => {
    const path = write(
      mooncake([
        { t: 0, i: 700, o: 10, h: [1, 2] },
        { t: 500, i: 300, o: 0 },
        { t: 2000, i: 520, o: 30, h: [1, 3] },
      ]),
    );
    const scan = scanTrace(path, 'mooncake', 2);
    expect(scan).toMatchObject({ requests: 3, spanS: 2, timeScale: 2, withBlocks: 2, withPromptText: 0 });
    expect(scan.meanRatePerS).toBeCloseTo(3 / 4, 12);
    expect(scan.inputTokens).toEqual({ min: 300, max: 700, mean: 1520 / 3 });
    // A request that produced nothing is asked for one token.
    expect(scan.outputTokens).toEqual({ min: 1, max: 30, mean: 41 / 3 });
  });

  it('reads BurstGPT CSV by its header names, times in seconds', () => {
    const path = write(
      'Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n5,ChatGPT,472,18,490,Conversation log\n7,GPT-4,1087,0,1087,API log\n',
      'csv',
    );
    expect(traceFormatOf(path, 'auto')).toBe('burstgpt');
    const scan = scanTrace(path, 'burstgpt', 1);
    expect(scan).toMatchObject({ requests: 2, spanS: 2, meanRatePerS: 1 });
    expect(scan.inputTokens).toEqual({ min: 472, max: 1087, mean: 779.5 });
  });

  it('lists every unusable line with its line and field, and times that go backwards', () => {
    const path = write(
      [
        JSON.stringify({ timestamp: 8, input_length: 10, output_length: 5 }),
        'not json',
        JSON.stringify({ timestamp: 10, output_length: 5 }),
        JSON.stringify({ timestamp: 5, input_length: 10, output_length: 5 }),
        JSON.stringify({ timestamp: 20, input_length: 10, output_length: -1 }),
        JSON.stringify({ timestamp: 30, input_length: 10, output_length: 2, hash_ids: ['a'] }),
      ].join('\n'),
    );
    const found = problemsOf(() => scanTrace(path, 'mooncake', 1));
    expect(found.code).toBe('TRACE_INVALID');
    expect(found.wheres).toEqual([2, 3, 4, 5, 6].map((line) => `${path}:${line}`));
    expect(found.fields).toEqual(['', 'input_length', 'timestamp', 'output_length', 'hash_ids']);
  });

  it('names the BurstGPT columns a header lacks, and refuses an empty trace', () => {
    const csv = write('time,Model,Request tokens\n1,a,2\n', 'csv');
    const found = problemsOf(() => scanTrace(csv, 'burstgpt', 1));
    expect(found.wheres).toEqual([`${csv}:1`]);
    expect(found.fields).toEqual(['Timestamp, Response tokens']);
    expect(problemsOf(() => scanTrace(write('\n\n'), 'mooncake', 1)).code).toBe('TRACE_EMPTY');
  });
});

const vocabulary: TraceVocabulary = {
  words: ['time', 'year', 'people', 'way', 'day', 'man', 'thing', 'woman'],
  tokenizer: { source: 'client', name: 'test' },
  exactLengths: true,
};

/** A tokenizer that counts words (every word one token) or characters (none of them one token). */
function countingTokenizer(unit: 'word' | 'character'): PromptTokenizer {
  const split = (text: string): string[] => (unit === 'word' ? text.split(' ').filter((w) => w !== '') : [...text]);
  return {
    source: 'client',
    name: unit,
    encode: (text) => Promise.resolve(split(text).map((_, i) => i)),
    decode: () => Promise.resolve(''),
  };
}

describe('trace prompts', () => {
  it('are made of words the tokenizer counts as one token each, or say their lengths are approximate', async () => {
    const exact = await prepareTraceVocabulary(countingTokenizer('word'));
    expect(exact.exactLengths).toBe(true);
    expect(exact.words).toEqual(WORDS);
    const approximate = await prepareTraceVocabulary(countingTokenizer('character'));
    expect(approximate.exactLengths).toBe(false);
    expect(approximate.words).toEqual(WORDS);
  });

  it('makes each prompt as many words as its length, and equal blocks equal text, so shared ids share a prefix', () => {
    const prompts = new TracePrompts(vocabulary, false);
    const entry = (hashIds: number[] | null, inputTokens: number): Parameters<TracePrompts['text']>[0] => ({
      line: 1,
      atMs: 0,
      inputTokens,
      outputTokens: 4,
      hashIds,
      prompt: null,
    });
    const a = prompts.text(entry([7, 8], 20), 0, 8);
    const b = prompts.text(entry([7, 9], 20), 1, 8);
    const c = prompts.text(entry(null, 20), 2, 8);
    for (const text of [a, b, c]) expect(text.split(' ')).toHaveLength(20);
    expect(a.split(' ').slice(0, 8)).toEqual(b.split(' ').slice(0, 8));
    expect(a.split(' ').slice(8, 16)).not.toEqual(b.split(' ').slice(8, 16));
    // Fewer tokens than the blocks cover: the prompt is cut at its length.
    expect(
      prompts
        .text(entry([7, 8, 9], 10), 3, 8)
        .split(' ')
        .slice(0, 8),
    ).toEqual(a.split(' ').slice(0, 8));
    const request = prompts.request(entry([7], 12), 5, 8);
    expect(request).toMatchObject({ index: 5, maxTokens: 4, clientTokensIn: 12, extraBody: null });
  });
});

/** A target that answers at once and notes when each request was meant to go and what it asked. */
function recordingTarget(): { target: Target; sends: { intendedAt: number | null; request: TargetRequest }[] } {
  const sends: { intendedAt: number | null; request: TargetRequest }[] = [];
  const inner = functionTarget({ name: 'recorder', answer: () => 'ok' });
  return {
    sends,
    target: {
      ...inner,
      send: (request, context) => {
        sends.push({ intendedAt: context.intendedAt, request });
        return inner.send(request, context);
      },
    },
  };
}

describe('trace replay', () => {
  it("sends each request at its trace time, scaled, with the trace's lengths, and ends with the trace", async () => {
    const times = [0, 40, 45, 300, 310, 600];
    const path = write(mooncake(times.map((t, i) => ({ t: t + 1000, i: 5 + i, o: 3 + i }))));
    const { target, sends } = recordingTarget();
    const loaded = loadBenchConfig({
      path: null,
      ownTarget: true,
      overrides: { load: { profile: 'trace', trace: path, timeScale: 0.5 } },
    });
    const started = monotonicNs();
    const outcome = await runLoad(loaded, { signal: new AbortController().signal, target });
    expect(sends.map((s) => s.request.maxTokens)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(sends.map((s) => s.request.clientTokensIn)).toEqual([5, 6, 7, 8, 9, 10]);
    const first = sends[0]?.intendedAt ?? 0;
    expect(first).toBeGreaterThan(started);
    // Intended times are the trace's, from its first line, ×0.5, exactly: the schedule, not the send.
    expect(sends.map((s) => ((s.intendedAt ?? 0) - first) / 1e6)).toEqual(times.map((t) => t * 0.5));
    expect(outcome.overall.requests.completed).toBe(6);
    expect(outcome.overall.rate?.targetPerS).toBeCloseTo(6 / 0.3, 3);
  });

  it('stops at the requests limit before the trace ends', async () => {
    const path = write(mooncake(Array.from({ length: 50 }, (_, i) => ({ t: i, i: 4, o: 2 }))));
    const { target, sends } = recordingTarget();
    const loaded = loadBenchConfig({
      path: null,
      ownTarget: true,
      overrides: { load: { profile: 'trace', trace: path, requests: 20 } },
    });
    await runLoad(loaded, { signal: new AbortController().signal, target });
    expect(sends).toHaveLength(20);
  });

  it("takes a warm-up share of the trace's scaled span when the replay has no duration", async () => {
    // 40 requests over 390 ms: the first 10% of the span (39 ms) holds the first 4.
    const path = write(mooncake(Array.from({ length: 40 }, (_, i) => ({ t: i * 10, i: 4, o: 2 }))));
    const { target, sends } = recordingTarget();
    const loaded = loadBenchConfig({
      path: null,
      ownTarget: true,
      overrides: { load: { profile: 'trace', trace: path, warmup: '10%' } },
    });
    const outcome = await runLoad(loaded, { signal: new AbortController().signal, target });
    expect(sends).toHaveLength(40);
    expect(outcome.overall.requests.excluded).toBe(4);
    expect(outcome.overall.requests.completed).toBe(36);
  });
});

import { describe, expect, it } from 'vitest';
import { readTopLogprobScores, topLogprobsPayload } from './openai-top-logprobs.js';

const chatFormat = (top: { token: string; logprob: number }[]): string =>
  JSON.stringify({
    choices: [{ index: 0, text: top[0]?.token ?? '', logprobs: { content: [{ ...top[0], top_logprobs: top }] } }],
    usage: { prompt_tokens: 12, completion_tokens: 1 },
  });

describe('first-token top log-probabilities', () => {
  it('asks for one token and the N most likely first tokens of the context', () => {
    expect(topLogprobsPayload('m', 'Answer:', 20)).toEqual({
      model: 'm',
      prompt: 'Answer:',
      max_tokens: 1,
      logprobs: 20,
      temperature: 0,
    });
  });

  it('scores listed continuations by their log-probability and bounds the others by the least listed (chat format, as llama.cpp sends)', () => {
    const answer = readTopLogprobScores(
      chatFormat([
        { token: ' B', logprob: -0.4 },
        { token: ' A', logprob: -1.1 },
        { token: 'x', logprob: -3 },
      ]),
      [' A', ' B', ' C'],
    );
    if ('category' in answer) throw new Error(answer.message);
    expect(answer.scores).toEqual([
      { logprob: -1.1, isGreedy: false, tokens: 1 },
      { logprob: -0.4, isGreedy: true, tokens: 1 },
      { logprob: -3, isGreedy: false, tokens: 1, beyondTopK: true },
    ]);
    expect(answer).toMatchObject({ alternatives: 3, promptTokens: 12, completionTokens: 1 });
  });

  it('reads the legacy format (a token → log-probability map per position, as OpenAI and vLLM send)', () => {
    const legacy = JSON.stringify({
      choices: [
        {
          index: 0,
          text: ' no',
          logprobs: {
            tokens: [' no'],
            token_logprobs: [-0.2],
            top_logprobs: [{ ' no': -0.2, ' yes': -1.9 }],
            text_offset: [10],
          },
        },
      ],
    });
    const answer = readTopLogprobScores(legacy, [' yes', ' no']);
    if ('category' in answer) throw new Error(answer.message);
    expect(answer.scores.map((s) => [s.logprob, s.isGreedy])).toEqual([
      [-1.9, false],
      [-0.2, true],
    ]);
    expect(answer.promptTokens).toBeNull();
  });

  it('says what is missing from answers it cannot read', () => {
    expect(readTopLogprobScores('nope', [' A'])).toMatchObject({ category: 'malformed_response' });
    expect(readTopLogprobScores(JSON.stringify({ choices: [{ text: 'x' }] }), [' A'])).toMatchObject({
      category: 'malformed_response',
      message: expect.stringContaining('no top log-probabilities') as unknown,
    });
    expect(readTopLogprobScores(JSON.stringify({ error: { message: 'busy' } }), [' A'])).toMatchObject({
      category: 'stream_error',
    });
  });
});

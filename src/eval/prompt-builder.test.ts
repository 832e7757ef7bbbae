import { describe, expect, it } from 'vitest';
import type { EvalCase } from './cases.js';
import { BodyCache } from '../targets/body-cache.js';
import { PromptBuilder } from './prompt-builder.js';

function evalCase(vars: Record<string, unknown>, expected: string[] = []): EvalCase {
  return { id: '1', index: 3, where: 'd:4', vars, expected, tags: [], weight: 1 };
}

const examples = [evalCase({ q: '1+1' }, ['2']), evalCase({ q: '2+2' }, ['4'])];

describe('PromptBuilder', () => {
  it('puts few-shot examples before a text prompt', () => {
    const builder = new PromptBuilder(
      {
        text: 'Q: {{q}}\nA:',
        body: {},
        maxTokens: 5,
        fewShot: { template: 'Q: {{q}}\nA: {{expected}}', separator: '\n\n' },
      },
      examples,
    );
    const { request, text } = builder.build(evalCase({ q: '3+3' }));
    expect(request.prompt).toBe('Q: 1+1\nA: 2\n\nQ: 2+2\nA: 4\n\nQ: 3+3\nA:');
    expect(text).toBe(request.prompt);
    expect(request).toMatchObject({ messages: null, maxTokens: 5, promptId: -1, extraBody: null });
    expect(builder.variables).toEqual(['q']);
  });
  it('lets a target shared by two suites send each its own prompt for the same case index', () => {
    const cache = new BodyCache((request) => request.prompt);
    const first = new PromptBuilder({ text: 'first {{q}}', body: {} }, []);
    const second = new PromptBuilder({ text: 'second {{q}}', body: {} }, []);
    expect(cache.bodyFor(first.build(evalCase({ q: 'x' })).request)).toBe('first x');
    expect(cache.bodyFor(second.build(evalCase({ q: 'x' })).request)).toBe('second x');
  });
  it('puts them where {{fewshot}} is written', () => {
    const builder = new PromptBuilder(
      {
        text: 'Solve.\n{{fewshot}}\n---\n{{q}}',
        body: {},
        fewShot: { template: '{{q}}={{expected}}', separator: '; ' },
      },
      examples,
    );
    expect(builder.build(evalCase({ q: '3+3' })).request.prompt).toBe('Solve.\n1+1=2; 2+2=4\n---\n3+3');
  });
  it('renders chat messages with the examples before the first user message', () => {
    const builder = new PromptBuilder(
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: '{{q}}' },
        ],
        body: { temperature: 0 },
        fewShot: { template: '{{q}}={{expected}}', separator: '\n' },
      },
      examples,
    );
    const { request } = builder.build(evalCase({ q: '3+3' }));
    expect(request.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: '1+1=2\n2+2=4\n3+3' },
    ]);
    expect(request.extraBody).toEqual({ temperature: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { compilePath, fillTemplate, valueAtPath } from './json-template.js';

const request = {
  index: 7,
  promptId: 0,
  prompt: 'Hi "there"',
  messages: null,
  maxTokens: 12,
  clientTokensIn: 3,
  extraBody: null,
};

describe('fillTemplate', () => {
  it('puts whole values in place and text inside strings', () => {
    const filled = fillTemplate(
      {
        input: '{{prompt}}',
        params: { max_new_tokens: '{{max_tokens}}' },
        note: 'case {{index}}: {{prompt}}',
        keep: '{{unknown}}',
        list: ['{{messages}}'],
      },
      request,
    );
    expect(filled).toEqual({
      input: 'Hi "there"',
      params: { max_new_tokens: 12 },
      note: 'case 7: Hi "there"',
      keep: '{{unknown}}',
      list: [[{ role: 'user', content: 'Hi "there"' }]],
    });
  });
});

describe('valueAtPath', () => {
  it('follows keys and indices, with or without a leading $', () => {
    const body = { choices: [{ text: 'a' }, { text: 'b' }], output: { text: 'c' } };
    expect(valueAtPath(body, compilePath('choices[1].text'))).toBe('b');
    expect(valueAtPath(body, compilePath('$.output.text'))).toBe('c');
    expect(valueAtPath(body, compilePath('choices[5].text'))).toBeUndefined();
    expect(valueAtPath('x', compilePath('a'))).toBeUndefined();
  });
});

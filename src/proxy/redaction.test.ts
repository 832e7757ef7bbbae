import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from './redaction.js';

describe('Redactor', () => {
  const redactor = new Redactor({
    patterns: [/[\w.+-]+@[\w-]+\.[\w.]+/, /\b\d{4}-\d{4}-\d{4}-\d{4}\b/i],
    fields: ['User', 'api_key'],
  });

  it('replaces every match in a text', () => {
    expect(redactor.text('mail a@b.io or c.d@e.org, card 1234-5678-9012-3456')).toBe(
      `mail ${REDACTED} or ${REDACTED}, card ${REDACTED}`,
    );
  });

  it('replaces named fields whole at any depth, and matches in every string of a JSON body', () => {
    const body = {
      model: 'm',
      user: { id: 7, email: 'x@y.com' },
      messages: [{ role: 'user', content: 'write to x@y.com' }],
      metadata: { nested: [{ API_KEY: 'sk-123' }] },
      max_tokens: 16,
    };
    expect(redactor.json(body)).toEqual({
      model: 'm',
      user: REDACTED,
      messages: [{ role: 'user', content: `write to ${REDACTED}` }],
      metadata: { nested: [{ API_KEY: REDACTED }] },
      max_tokens: 16,
    });
  });
});

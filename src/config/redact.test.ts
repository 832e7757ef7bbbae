import { describe, expect, it } from 'vitest';
import { isSecretName, redactSecrets } from './redact.js';

describe('redactSecrets', () => {
  it('redacts secret-like names and keeps token counts and prices', () => {
    for (const name of ['Authorization', 'x-api-key', 'apiKey', 'accessToken', 'client_secret', 'password', 'Cookie'])
      expect(isSecretName(name)).toBe(true);
    for (const name of [
      'maxTokens',
      'inputPerMTokens',
      'outputTokens',
      'apiKeyEnv',
      'apiKeyHeader',
      'keyboard',
      'monkey',
    ])
      expect(isSecretName(name)).toBe(false);
    expect(redactSecrets({ headers: { authorization: 'Bearer s3cret' }, prompt: { maxTokens: 4 } })).toEqual({
      headers: { authorization: '[redacted]' },
      prompt: { maxTokens: 4 },
    });
  });
});

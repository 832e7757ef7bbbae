import { describe, expect, it } from 'vitest';
import { targetSchema } from './target-schema.js';
import { createProbeTarget, registeredTargetKinds } from './registry.js';

describe('the target registry', () => {
  it('holds the kinds of this folder and builds targets of them', () => {
    expect(registeredTargetKinds()).toEqual(
      expect.arrayContaining(['openai-chat', 'openai-completions', 'http', 'gguf']),
    );
    const target = createProbeTarget(
      targetSchema.parse({
        kind: 'http',
        url: 'http://127.0.0.1:9/generate',
        bodyTemplate: { prompt: '{{prompt}}' },
        outputPath: 'text',
      }),
    );
    expect(target.describe()).toMatchObject({ kind: 'http', url: 'http://127.0.0.1:9/generate' });
  });
});

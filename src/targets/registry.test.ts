import { describe, expect, it } from 'vitest';
import { yardstickErrorOf } from '../../test/helpers/errors.js';
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

  it('refuses a kind no module of this program registered, saying where builtin targets come from', () => {
    const builtin = targetSchema.parse({ kind: 'builtin', model: 'spam-nb' });
    const error = yardstickErrorOf(() => createProbeTarget(builtin));
    expect(error.code).toBe('TARGET_KIND_UNAVAILABLE');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain("no target kind 'builtin' is registered in this program");
    expect(error.hint).toContain('the library entry points (runEval, runBench), which register them');
  });
});

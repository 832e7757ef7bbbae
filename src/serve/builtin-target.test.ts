import { describe, expect, it } from 'vitest';
import { targetKindsOfSchema } from '../targets/target-schema.js';
import { registeredTargetKinds } from '../targets/registry.js';
import { registerBuiltinTarget } from './builtin-target.js';

describe('target kinds', () => {
  it('every kind the config schema accepts has a factory once serve/ has added the reference models', () => {
    registerBuiltinTarget();
    expect(targetKindsOfSchema().sort()).toEqual([
      'builtin',
      'custom',
      'gguf',
      'http',
      'openai-chat',
      'openai-completions',
    ]);
    expect(registeredTargetKinds().sort()).toEqual(targetKindsOfSchema().sort());
  });
});

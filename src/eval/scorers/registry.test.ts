import { describe, expect, it } from 'vitest';
import { scorerTypesOfSchema } from './scorer-schema.js';
import { SCORER_KINDS } from './registry.js';

describe('scorer kinds', () => {
  it('build every scorer type the suite schema accepts, each type by exactly one kind', () => {
    const registered = SCORER_KINDS.flatMap((k) => k.types);
    expect(new Set(registered).size).toBe(registered.length);
    expect([...registered].sort()).toEqual(scorerTypesOfSchema().sort());
    expect(scorerTypesOfSchema()).toContain('judge');
  });
});

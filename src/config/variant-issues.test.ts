import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { withOtherFieldIssues } from './variant-issues.js';

const tool = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('exact'), weight: z.number().positive().default(1) }),
  z.strictObject({ type: z.enum(['regex', 'contains']), value: z.string() }),
]);
const schema = z.strictObject({
  name: z.string(),
  tools: z.array(tool).min(1),
  main: tool.superRefine(() => undefined).optional(),
});

function issuesOf(raw: unknown): { path: string; code: string }[] {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return [];
  return withOtherFieldIssues(schema, parsed.error.issues, raw).map((i) => ({ path: i.path.join('.'), code: i.code }));
}

describe('withOtherFieldIssues', () => {
  it('checks the other fields of an unknown variant inside an array against the variants that have them', () => {
    expect(issuesOf({ name: 'n', tools: [{ type: 'exact' }, { type: 'exct', weight: -1, colour: 'red' }] })).toEqual([
      { path: 'tools.1.type', code: 'invalid_union' },
      { path: 'tools.1.weight', code: 'too_small' },
      { path: 'tools.1.colour', code: 'unrecognized_keys' },
    ]);
  });

  it('follows optional and refined unions, and adds nothing when every field is fine', () => {
    expect(issuesOf({ name: 'n', tools: [{ type: 'regex', value: 'x' }], main: { type: 'rgx', value: 'y' } })).toEqual([
      { path: 'main.type', code: 'invalid_union' },
    ]);
    expect(issuesOf({ name: 'n', tools: [{ type: 'regex', value: 'x' }], main: { type: 'rgx', value: 3 } })).toEqual([
      { path: 'main.type', code: 'invalid_union' },
      { path: 'main.value', code: 'invalid_type' },
    ]);
  });

  it('leaves issues it cannot place alone', () => {
    expect(issuesOf({ name: 3, tools: [] })).toEqual([
      { path: 'name', code: 'invalid_type' },
      { path: 'tools', code: 'too_small' },
    ]);
  });
});

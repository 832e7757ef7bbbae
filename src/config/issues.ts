import type { z } from 'zod';
import type { Problem } from '../core/errors.js';

const NOUNS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of fields',
  bigint: 'a whole number',
};

function noun(expected: string): string {
  return NOUNS[expected] ?? expected;
}

function quoted(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
}

/** What a value of `origin` must be at least or at most, in words. */
function bound(origin: string, direction: 'small' | 'big', limit: number | bigint, inclusive: boolean): string {
  const n = Number(limit);
  if (origin === 'string')
    return direction === 'small'
      ? n === 1
        ? 'must not be empty'
        : `must have at least ${n} characters`
      : `must have at most ${n} characters`;
  if (origin === 'array' || origin === 'set')
    return direction === 'small'
      ? n === 1
        ? 'must list at least one item'
        : `must list at least ${n} items`
      : `must list at most ${n} items`;
  if (direction === 'small') return inclusive ? `must be at least ${n}` : `must be greater than ${n}`;
  return inclusive ? `must be at most ${n}` : `must be less than ${n}`;
}

/** Turns one zod issue into a user-facing problem in yardstick's words (without location, which the caller adds). */
export function describeIssue(issue: z.core.$ZodIssue): Omit<Problem, 'where'> {
  const field = issue.path.map(String).join('.');
  switch (issue.code) {
    case 'invalid_union': {
      const options = 'options' in issue && Array.isArray(issue.options) ? issue.options : null;
      if ('discriminator' in issue && options !== null) {
        const name = field.split('.').pop() ?? 'kind';
        return {
          field,
          message: `unknown ${name}`,
          hint: `known ${name === 'kind' ? 'kinds' : `${name}s`}: ${options.map(String).join(', ')}`,
        };
      }
      return { field, message: 'matches none of the forms this field takes', hint: 'docs/config.md shows each form' };
    }
    case 'unrecognized_keys':
      return {
        field,
        message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`,
        hint: 'check the spelling; docs/config.md lists every field',
      };
    case 'invalid_type':
      if (issue.message.endsWith('received undefined'))
        return { field, message: `missing required field (${noun(issue.expected)})` };
      return { field, message: `must be ${noun(issue.expected)}` };
    case 'too_small':
      return { field, message: bound(issue.origin, 'small', issue.minimum, issue.inclusive ?? true) };
    case 'too_big':
      return { field, message: bound(issue.origin, 'big', issue.maximum, issue.inclusive ?? true) };
    case 'invalid_value':
      return issue.values.length === 1
        ? { field, message: `must be ${quoted(issue.values)}` }
        : { field, message: `must be one of ${quoted(issue.values)}` };
    case 'invalid_format':
      return {
        field,
        message: issue.format === 'url' ? 'must be a URL (http:// or https://…)' : `must be a valid ${issue.format}`,
      };
    case 'custom': {
      const params = issue.params as { hint?: string } | undefined;
      return { field, message: issue.message, hint: params?.hint };
    }
    default:
      return { field, message: issue.message };
  }
}

/** The variants of a discriminated union. */
export type Variants = readonly z.ZodObject[];

function entriesOf(value: unknown): [string, unknown][] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
}

/**
 * The problems of an object whose variant is unknown (`profile: swep`): zod stops at the discriminator, but the other
 * fields can still be checked, each against the variants that have it, so that every problem is listed at once.
 */
export function otherFieldIssues(
  variants: Variants,
  value: unknown,
  discriminator: string,
  prefix: readonly PropertyKey[],
): z.core.$ZodIssue[] {
  const issues: z.core.$ZodIssue[] = [];
  const unknown: string[] = [];
  for (const [key, fieldValue] of entriesOf(value)) {
    if (key === discriminator) continue;
    const schemas = variants.flatMap((v) => (key in v.shape ? [v.shape[key] as z.ZodType] : []));
    if (schemas.length === 0) {
      unknown.push(key);
      continue;
    }
    const results = schemas.map((s) => s.safeParse(fieldValue));
    if (results.some((r) => r.success)) continue;
    const first = results[0];
    if (first !== undefined && !first.success)
      for (const issue of first.error.issues) issues.push({ ...issue, path: [...prefix, key, ...issue.path] });
  }
  // Each at its own line: the parent's line would not say which.
  for (const key of unknown)
    issues.push({ code: 'unrecognized_keys', keys: [key], path: [...prefix, key], message: '' });
  return issues;
}

import type { z } from 'zod';
import type { Problem } from '../core/errors.js';

/** Turns one zod issue into a user-facing problem (without location, which the caller adds). */
export function describeIssue(issue: z.core.$ZodIssue): Omit<Problem, 'where'> {
  const field = issue.path.map(String).join('.');
  const options = (issue as { options?: unknown }).options;
  if (issue.code === 'invalid_union' && 'discriminator' in issue && Array.isArray(options)) {
    const name = field.split('.').pop() ?? 'kind';
    return {
      field,
      message: `unknown ${name}`,
      hint: `known ${name === 'kind' ? 'kinds' : `${name}s`}: ${options.map(String).join(', ')}`,
    };
  }
  if (issue.code === 'unrecognized_keys') {
    return {
      field,
      message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`,
      hint: 'check the spelling; docs/config.md lists every field',
    };
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return { field, message: `missing required field (expected ${issue.expected})` };
  }
  const params = issue.code === 'custom' ? (issue.params as { hint?: string } | undefined) : undefined;
  return { field, message: issue.message, hint: params?.hint };
}

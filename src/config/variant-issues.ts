import type { z } from 'zod';
import { otherFieldIssues, type Variants } from './issues.js';
import { INPUT_VARIANTS, LOAD_VARIANTS, TARGET_VARIANTS } from './schema.js';

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = new Map<PropertyKey, unknown>(Object.entries(value)).get(typeof key === 'number' ? String(key) : key);
  }
  return value;
}

/** The variants a discriminator at `path` chooses between: a load's `profile`, an input's `kind`, a target's `kind`. */
function variantsAt(path: readonly PropertyKey[]): Variants | null {
  const name = path[path.length - 1];
  const parent = path.slice(0, -1).map(String);
  if (name === 'profile') return LOAD_VARIANTS;
  if (name !== 'kind') return null;
  if (parent[parent.length - 1] === 'input') return INPUT_VARIANTS;
  return parent.includes('target') || parent.includes('targets') ? TARGET_VARIANTS : null;
}

/**
 * Adds, for every object whose variant is unknown (`profile: swep`, `kind: opneai-chat`), the problems of its other
 * fields, which zod does not check once the discriminator fails; so that every problem is listed at once.
 */
export function withOtherFieldIssues(issues: readonly z.core.$ZodIssue[], raw: unknown): z.core.$ZodIssue[] {
  const out = [...issues];
  for (const issue of issues) {
    if (issue.code !== 'invalid_union' || !('discriminator' in issue)) continue;
    const variants = variantsAt(issue.path);
    const discriminator = issue.path[issue.path.length - 1];
    if (variants === null || typeof discriminator !== 'string') continue;
    const prefix = issue.path.slice(0, -1);
    out.push(...otherFieldIssues(variants, valueAt(raw, prefix), discriminator, prefix));
  }
  return out;
}

import { z } from 'zod';
import { otherFieldIssues } from './issues.js';

function fieldOf(value: unknown, key: PropertyKey): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  return new Map<PropertyKey, unknown>(Object.entries(value)).get(typeof key === 'number' ? String(key) : key);
}

/** The schema under the wrappers that do not change a value's shape (optional, default, nullable, a pipe's input). */
function unwrapped(schema: z.core.$ZodType): z.core.$ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodNullable)
    return unwrapped(schema.def.innerType);
  if (schema instanceof z.ZodPipe) return unwrapped(schema.def.in);
  return schema;
}

/** The variant of a discriminated union that `value` names, or null when it names none. */
function chosenVariant(union: z.ZodDiscriminatedUnion, value: unknown): z.core.$ZodType | null {
  const named = fieldOf(value, union.def.discriminator);
  for (const option of union.options) {
    if (!(option instanceof z.ZodObject)) continue;
    const discriminator: unknown = option.shape[union.def.discriminator];
    if (discriminator instanceof z.ZodLiteral && [...discriminator.values].some((v) => v === named)) return option;
    if (discriminator instanceof z.ZodEnum && discriminator.options.some((o) => o === named)) return option;
  }
  return null;
}

/** The schema that checks the value at `path` of `raw`, following objects, arrays and the variants `raw` names. */
function schemaAt(schema: z.core.$ZodType, raw: unknown, path: readonly PropertyKey[]): z.core.$ZodType | null {
  let current = unwrapped(schema);
  let value = raw;
  for (const key of path) {
    if (current instanceof z.ZodDiscriminatedUnion) {
      const variant = chosenVariant(current, value);
      if (variant === null) return null;
      current = variant;
    }
    const field: unknown = current instanceof z.ZodObject && typeof key === 'string' ? current.shape[key] : undefined;
    if (field instanceof z.ZodType) current = unwrapped(field);
    else if (current instanceof z.ZodArray && typeof key === 'number') current = unwrapped(current.def.element);
    else return null;
    value = fieldOf(value, key);
  }
  return current;
}

/**
 * Adds, for every object whose variant is unknown (`profile: swep`, `kind: opneai-chat`, `type: exct`), the problems
 * of its other fields, which zod does not check once the discriminator fails; so that every problem is listed at
 * once. The variants are read from `schema`, the schema that produced the issues.
 */
export function withOtherFieldIssues(
  schema: z.core.$ZodType,
  issues: readonly z.core.$ZodIssue[],
  raw: unknown,
): z.core.$ZodIssue[] {
  const out = [...issues];
  for (const issue of issues) {
    if (issue.code !== 'invalid_union' || !('discriminator' in issue)) continue;
    const discriminator = issue.path[issue.path.length - 1];
    if (typeof discriminator !== 'string') continue;
    const prefix = issue.path.slice(0, -1);
    const union = schemaAt(schema, raw, prefix);
    if (!(union instanceof z.ZodDiscriminatedUnion) || union.def.discriminator !== discriminator) continue;
    const variants = union.options.filter((option) => option instanceof z.ZodObject);
    let value = raw;
    for (const key of prefix) value = fieldOf(value, key);
    out.push(...otherFieldIssues(variants, value, discriminator, prefix));
  }
  return out;
}

import { usageError } from '../core/errors.js';
import type { ColumnType } from '../data/column-types.js';

const TYPES: readonly ColumnType[] = ['numeric', 'categorical', 'boolean', 'text', 'datetime'];

/** Collects a repeatable flag's values. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--type COLUMN=TYPE` flags as overrides of inferred column types. */
export function typeOverrides(specs: readonly string[]): Record<string, ColumnType> {
  const out: Record<string, ColumnType> = {};
  for (const spec of specs) {
    const [name, type] = spec.split('=');
    if (name === undefined || name === '' || type === undefined || !(TYPES as readonly string[]).includes(type)) throw usageError('FLAG_INVALID', `--type '${spec}' is not COLUMN=TYPE`, `types: ${TYPES.join(', ')}; e.g. --type zip=categorical`);
    out[name] = type as ColumnType;
  }
  return out;
}

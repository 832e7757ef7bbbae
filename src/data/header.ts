import { usageError } from '../core/errors.js';

/** A delimited file's column names, refusing any that repeats (its values would silently replace the other's). */
export function checkedHeader(path: string, names: string[]): string[] {
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length > 0) {
    const where = [...new Set(repeated)].map(
      (name) => `'${name}' (columns ${names.flatMap((n, i) => (n === name ? [i + 1] : [])).join(', ')})`,
    );
    throw usageError(
      'DATA_INVALID',
      `${path}:1: the header names ${where.join(', ')} more than once`,
      'give every column its own name',
    );
  }
  return names;
}

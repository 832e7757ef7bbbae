import { usageError } from '../core/errors.js';
import type { ColumnType } from '../data/column-types.js';

/** Flag parsing the commands share. */

/** Collects a repeatable flag's values. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A flag's number, or its text when it is not one, so config validation names the field and the bad value. */
export function numberOr(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/** A flag's number, checked by `valid`; a usage error with an example otherwise. */
export function numberFlag(name: string, text: string, valid: (n: number) => boolean, example: string): number {
  const n = Number(text);
  if (text.trim() === '' || !valid(n))
    throw usageError('FLAG_INVALID', `--${name} '${text}' is not valid`, `e.g. --${name} ${example}`);
  return n;
}

/** A flag's whole number of at least `min`; a usage error with an example otherwise. */
export function integerFlag(name: string, text: string, min: number, example = Math.max(min, 4)): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw usageError(
      'FLAG_INVALID',
      `--${name} '${text}' is not an integer of at least ${min}`,
      `e.g. --${name} ${example}`,
    );
  return n;
}

/** Flag overrides without the flags that were not given: undefined values and objects left empty are dropped. */
export function prune(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const inner = prune(v as Record<string, unknown>);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else out[key] = v;
  }
  return out;
}

const TYPES: readonly ColumnType[] = ['numeric', 'categorical', 'boolean', 'text', 'datetime'];

/** `--type COLUMN=TYPE` flags as overrides of inferred column types. */
export function typeOverrides(specs: readonly string[]): Record<string, ColumnType> {
  const out: Record<string, ColumnType> = {};
  for (const spec of specs) {
    const [name, type] = spec.split('=');
    if (name === undefined || name === '' || type === undefined || !(TYPES as readonly string[]).includes(type))
      throw usageError(
        'FLAG_INVALID',
        `--type '${spec}' is not COLUMN=TYPE`,
        `types: ${TYPES.join(', ')}; e.g. --type zip=categorical`,
      );
    out[name] = type as ColumnType;
  }
  return out;
}

/** A `--listen` address: `host:port`, `[ipv6]:port`, `:port` or a port alone, the host 127.0.0.1 by default; null when it is none. */
export function listenAddress(text: string): { host: string; port: number } | null {
  const match = /^(?:(\[[^\]]+\]|[^:]*):)?(\d{1,5})$/.exec(text.trim());
  if (match === null) return null;
  const port = Number(match[2]);
  if (port > 65_535) return null;
  const host = match[1] === undefined || match[1] === '' ? '127.0.0.1' : match[1].replace(/^\[|\]$/g, '');
  return { host, port };
}

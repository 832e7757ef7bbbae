import { isJsonObject } from '../core/json-object.js';
import { dirname, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { usageError, messageOf, type Problem } from '../core/errors.js';
import { lineOfPath } from './locate.js';

export interface ConfigSource {
  path: string | null;
  /** Values from command-line flags, laid over the file's. */
  overrides: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** `over` laid over `base`: objects merge key by key, anything else replaces (how flags override a file). */
export function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isJsonObject(current) && isJsonObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function flattenKeys(value: Json, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, v]) =>
    isJsonObject(v) ? flattenKeys(v, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

export interface ParsedFile {
  raw: Json;
  doc: Document | null;
  lineCounter: LineCounter;
}

/** Reads a YAML file keeping its line positions; syntax errors fail with exit 2 and every bad line listed. */
export function readYaml(path: string): ParsedFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(
      'CONFIG_UNREADABLE',
      `cannot read config file ${path}: ${messageOf(error)}`,
      'check the path, or pass settings as flags (see --help)',
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems: Problem[] = doc.errors.map((e) => ({
      where: `${path}:${lineCounter.linePos(e.pos[0]).line}`,
      field: '',
      message: e.message.split('\n')[0] ?? e.message,
      hint: 'fix the YAML syntax at that line',
    }));
    throw usageError('CONFIG_INVALID', `${path} is not valid YAML`, 'fix the problems listed above', problems);
  }
  const raw: unknown = doc.toJS();
  if (raw !== null && raw !== undefined && !isJsonObject(raw)) {
    throw usageError(
      'CONFIG_INVALID',
      `${path} must hold a mapping of settings at the top level`,
      'see examples/ for a config to start from',
    );
  }
  return { raw: raw ?? {}, doc, lineCounter };
}

/** A file's settings with flags laid over them, and a function telling where a field came from (`file:line` or `command line`). */
export function mergeSources(source: ConfigSource): { raw: Json; where: (path: readonly PropertyKey[]) => string } {
  const file: ParsedFile =
    source.path === null ? { raw: {}, doc: null, lineCounter: new LineCounter() } : readYaml(source.path);
  const overridden = new Set(flattenKeys(source.overrides));
  const raw = deepMerge(file.raw, source.overrides);
  const where = (path: readonly PropertyKey[]): string => {
    const dotted = path.map(String).join('.');
    const fromFlags = [...overridden].some(
      (key) => key === dotted || key.startsWith(`${dotted}.`) || dotted.startsWith(`${key}.`),
    );
    if (fromFlags || file.doc === null || source.path === null) return 'command line';
    const line = lineOfPath(file.doc, file.lineCounter, path);
    return line === null ? source.path : `${source.path}:${line}`;
  };
  return { raw, where };
}

/** Where a config's relative paths start: its file's folder, or the working directory for flags alone. */
export function configBaseDir(path: string | null): string {
  return path === null ? process.cwd() : dirname(resolve(path));
}

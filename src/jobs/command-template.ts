import { usageError } from '../core/errors.js';

/** A command and environment whose `{{workers}}` and `{{size}}` are filled in for each point of a scaling study. */
export interface CommandTemplate {
  command: readonly string[];
  env: Readonly<Record<string, string>>;
}

/** The values of one execution: the worker count, and the problem size (1 in strong scaling, n in weak). */
export interface TemplateValues {
  workers: number;
  size: number;
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;
const KNOWN = new Set(['workers', 'size']);

function fill(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (_, name: string) => String(name === 'size' ? values.size : values.workers));
}

/** The command line and environment of one execution. */
export function fillTemplate(template: CommandTemplate, values: TemplateValues): CommandTemplate {
  return {
    command: template.command.map((part) => fill(part, values)),
    env: Object.fromEntries(Object.entries(template.env).map(([key, value]) => [key, fill(value, values)])),
  };
}

function placeholdersIn(template: CommandTemplate): Set<string> {
  const names = new Set<string>();
  for (const text of [...template.command, ...Object.values(template.env)])
    for (const match of text.matchAll(PLACEHOLDER)) names.add(match[1] ?? '');
  return names;
}

/**
 * Checks that the job is told its worker count (`{{workers}}` in an argument or `--env` value), that a weak-scaling
 * study also tells it its problem size (`{{size}}`), and that no other placeholder is used. Exit 2 otherwise.
 */
export function checkTemplate(template: CommandTemplate, weak: boolean): void {
  const names = placeholdersIn(template);
  const unknown = [...names].filter((name) => !KNOWN.has(name));
  if (unknown.length > 0)
    throw usageError(
      'FLAG_INVALID',
      `unknown placeholder ${unknown.map((n) => `{{${n}}}`).join(', ')} in the command or --env`,
      'the placeholders are {{workers}} (the worker count) and {{size}} (the problem size: 1, or the worker count with --weak)',
    );
  if (!names.has('workers'))
    throw usageError(
      'FLAG_INVALID',
      'the command is never told its worker count: no {{workers}} in its arguments or --env values',
      'put {{workers}} where the count goes, e.g. --env WORLD_SIZE={{workers}} or -- torchrun --nproc-per-node {{workers}} train.py',
    );
  if (weak && !names.has('size'))
    throw usageError(
      'FLAG_INVALID',
      'a weak-scaling study (--weak) needs {{size}} in the command or --env: the problem grows with the workers',
      'e.g. --env SAMPLES={{size}}000: each point runs n workers at size n, and one worker at size n for the scaled speedup',
    );
}

/** `--env NAME=VALUE` entries as variables; exit 2 naming an entry without `=` or with a bad name. */
export function parseEnvEntries(entries: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    const name = at < 0 ? '' : entry.slice(0, at);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw usageError(
        'FLAG_INVALID',
        `--env '${entry}' is not NAME=VALUE with a variable name`,
        'e.g. --env WORLD_SIZE={{workers}}',
      );
    env[name] = entry.slice(at + 1);
  }
  return env;
}

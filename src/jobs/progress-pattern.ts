import { usageError } from '../core/errors.js';

/** Values a progress line gave, by the regex's group names (`step`, `loss`, `samples`, any other). */
export interface ProgressEvent {
  atS: number;
  values: Record<string, number>;
}

/** A user's progress regex, checked: it must compile and name at least one group. */
export function progressPattern(source: string): RegExp {
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch (error) {
    throw usageError(
      'FLAG_INVALID',
      `--progress '${source}' is not a regular expression: ${error instanceof Error ? error.message : String(error)}`,
      "e.g. --progress 'step (?<step>\\d+) .*loss (?<loss>[\\d.]+)'",
    );
  }
  if (!/\(\?<[A-Za-z_][A-Za-z0-9_]*>/.test(source))
    throw usageError(
      'FLAG_INVALID',
      `--progress '${source}' names no group`,
      'name what to read, e.g. (?<step>\\d+), (?<loss>[\\d.]+), (?<samples>\\d+)',
    );
  return pattern;
}

/** The numbers a line gives for the pattern's named groups; null when it does not match or gives none. */
export function progressValues(pattern: RegExp, line: string): Record<string, number> | null {
  const groups = pattern.exec(line)?.groups;
  if (groups === undefined) return null;
  const values: Record<string, number> = {};
  for (const [name, text] of Object.entries(groups)) {
    const value = Number(text);
    if (text !== undefined && text !== '' && Number.isFinite(value)) values[name] = value;
  }
  return Object.keys(values).length === 0 ? null : values;
}

/** Events kept at most; past it, every other one is dropped (the first and the latest always stay). */
const MAX_EVENTS = 2000;

/** The progress events of a job, thinned to a bounded number as they arrive. */
export class ProgressLog {
  readonly events: ProgressEvent[] = [];
  private matched = 0;

  add(event: ProgressEvent): void {
    this.matched += 1;
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) {
      const kept = this.events.filter((_, i) => i % 2 === 0 || i === this.events.length - 1);
      this.events.splice(0, this.events.length, ...kept);
    }
  }

  get lines(): number {
    return this.matched;
  }
}

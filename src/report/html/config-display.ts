/** Config fields that hold milliseconds without saying so in their name. */
const MILLISECOND_FIELDS = new Set(['duration', 'timeout', 'maxP95']);

function entriesOf(value: object): [string, unknown][] {
  return Object.entries(value);
}

/** A duration in milliseconds as a person reads it: `30 s`, `2 min`, `250 ms`. */
export function humanDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000) return `${Number((ms / 1000).toPrecision(4))} s`;
  return `${Number(ms.toPrecision(4))} ms`;
}

/**
 * The stored config for reading: durations with their unit (`"duration": "30 s"`), warm-up and cool-down as a
 * duration or a share, everything else as stored.
 */
export function configForDisplay(value: unknown, key: string | null = null): unknown {
  if (Array.isArray(value)) return value.map((item) => configForDisplay(item));
  if (typeof value === 'number' && key !== null && MILLISECOND_FIELDS.has(key)) return humanDuration(value);
  if (typeof value !== 'object' || value === null) return value;
  const fields = new Map(entriesOf(value));
  const ms = fields.get('ms');
  const fraction = fields.get('fraction');
  if (fields.size === 1 && typeof ms === 'number') return humanDuration(ms);
  if (fields.size === 1 && typeof fraction === 'number') return `${Number((fraction * 100).toPrecision(4))}%`;
  return Object.fromEntries(entriesOf(value).map(([k, v]) => [k, configForDisplay(v, k)]));
}

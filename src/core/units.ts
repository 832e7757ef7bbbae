/** Parsing and formatting of the units users type: durations, percentages, rates. */

const DURATION_UNITS_MS: Record<string, number> = {
  us: 0.001,
  µs: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(us|µs|ms|s|m|h)\s*$/;

/** Parses `250ms`, `30s`, `2m`, `1h`, `500us` into milliseconds; a bare number means seconds. Returns null when unparseable. */
export function parseDurationMs(text: string | number): number | null {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text * 1000 : null;
  const bare = Number(text);
  if (text.trim() !== '' && Number.isFinite(bare)) return bare >= 0 ? bare * 1000 : null;
  const match = DURATION_PATTERN.exec(text);
  if (match === null) return null;
  const [, amount, unit] = match;
  if (amount === undefined || unit === undefined) return null;
  const factor = DURATION_UNITS_MS[unit];
  return factor === undefined ? null : Number(amount) * factor;
}

/** Parses `10%` into 0.1; a bare number in [0, 1] is taken as a fraction. Returns null when unparseable. */
export function parseFraction(text: string | number): number | null {
  if (typeof text === 'number') return Number.isFinite(text) ? text : null;
  const trimmed = text.trim();
  if (trimmed.endsWith('%')) {
    const value = Number(trimmed.slice(0, -1));
    return trimmed.length > 1 && Number.isFinite(value) ? value / 100 : null;
  }
  const value = Number(trimmed);
  return trimmed !== '' && Number.isFinite(value) ? value : null;
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** Parses a size: `100MB`, `512KiB`, `2GB`, or a number of bytes. Returns null when unparseable. */
export function parseBytes(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (match === null) return null;
  const unit = BYTE_UNITS[(match[2] ?? '').toLowerCase() || 'b'];
  return unit === undefined ? null : Math.round(Number(match[1]) * unit);
}

/** Formats milliseconds for a terminal table: µs below 1 ms, ms below 10 s, s above. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1) return `${(ms * 1000).toFixed(0)}µs`;
  if (ms < 10_000) return `${ms.toFixed(ms < 100 ? 2 : 1)}ms`;
  return `${(ms / 1000).toFixed(2)}s`;
}

/** Formats a per-second rate with sensible precision. */
export function formatRate(perS: number | null | undefined): string {
  if (perS === null || perS === undefined || !Number.isFinite(perS)) return '—';
  return perS >= 100 ? perS.toFixed(0) : perS.toFixed(2);
}

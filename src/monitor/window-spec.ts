import { parseDurationMs } from '../core/units.js';

/** How live rows are cut into windows: by time (every `ms`) or by count (every `rows` rows). */
export type WindowSpec = { kind: 'time'; ms: number } | { kind: 'count'; rows: number };

/** `1h`, `15m`, `30s` (a time window) or a plain integer such as `500` (a count of rows); null when neither. */
export function parseWindowSpec(text: string): WindowSpec | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const rows = Number(trimmed);
    return rows >= 1 ? { kind: 'count', rows } : null;
  }
  const ms = parseDurationMs(trimmed);
  return ms !== null && ms >= 1000 ? { kind: 'time', ms } : null;
}

export function describeWindow(spec: WindowSpec): string {
  return spec.kind === 'count' ? `every ${spec.rows} rows` : `every ${spec.ms / 1000} s`;
}

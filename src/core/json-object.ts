/** Whether a value (read from JSON or YAML) is an object with named fields: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a stored value is a number or null (a statistic that may be absent). */
export function isNumberOrNull(value: unknown): value is number | null {
  return value === null || typeof value === 'number';
}

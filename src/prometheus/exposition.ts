/** Pieces of the Prometheus text exposition format (version 0.0.4), written as prom-client writes them. */

/** A label value between double quotes: backslash, newline and double quote escaped. */
export function escapeLabelValue(value: string): string {
  return escapeHelp(value).replace(/"/g, '\\"');
}

/** A HELP text: backslash and newline escaped. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample's value: `+Inf`, `-Inf` and `NaN` spelled as the format wants them. */
export function sampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return `${value}`;
}

/** `name="value",…` for label pairs in the given order (no braces). */
export function labelPairs(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',');
}

/** The HELP and TYPE lines that open a metric family. */
export function familyHead(name: string, help: string, type: 'counter' | 'gauge' | 'histogram'): string[] {
  return [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`];
}

/** One sample line; `labels` is the output of `labelPairs` (empty for none). */
export function sampleLine(name: string, labels: string, value: number): string {
  return labels === '' ? `${name} ${sampleValue(value)}` : `${name}{${labels}} ${sampleValue(value)}`;
}

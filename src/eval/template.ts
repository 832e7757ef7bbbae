/** A `{{name}}` text template compiled once: the literal parts and the variables between them. */
export interface CompiledTemplate {
  source: string;
  /** Literal text; parts.length === names.length + 1. */
  parts: string[];
  names: string[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

export function compileTemplate(source: string): CompiledTemplate {
  const parts: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    parts.push(source.slice(last, match.index));
    names.push(match[1] ?? '');
    last = match.index + match[0].length;
  }
  parts.push(source.slice(last));
  return { source, parts, names };
}

/** A value as template text: strings as they are, everything else as JSON. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Fills a compiled template; every name must be present in `vars` (checked before the run by `missingVariables`). */
export function renderTemplate(template: CompiledTemplate, vars: Readonly<Record<string, unknown>>): string {
  let out = template.parts[0] ?? '';
  for (let i = 0; i < template.names.length; i += 1) {
    out += asText(vars[template.names[i] ?? '']) + (template.parts[i + 1] ?? '');
  }
  return out;
}

/** The template's variables that `vars` lacks. */
export function missingVariables(template: CompiledTemplate, vars: Readonly<Record<string, unknown>>): string[] {
  return [...new Set(template.names.filter((name) => !(name in vars)))];
}

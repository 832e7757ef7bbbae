import { isJsonObject } from '../core/json-object.js';

/** What replaces a redacted value or match. */
export const REDACTED = '[redacted]';

/** Rules applied to everything the proxy keeps of a request or response before it is written anywhere. */
export interface RedactionRules {
  /** Every match in any text (a JSON string value, an output) is replaced. */
  patterns: readonly RegExp[];
  /** The value of a JSON field with one of these names (at any depth, any case) is replaced whole. */
  fields: readonly string[];
}

/** Applies redaction rules to texts and to parsed JSON bodies. */
export class Redactor {
  private readonly fields: Set<string>;
  private readonly patterns: readonly RegExp[];

  constructor(rules: RedactionRules) {
    this.fields = new Set(rules.fields.map((f) => f.toLowerCase()));
    // Global matching, so that every occurrence in a text goes.
    this.patterns = rules.patterns.map((p) => new RegExp(p.source, p.flags.includes('g') ? p.flags : `${p.flags}g`));
  }

  text(value: string): string {
    let out = value;
    for (const pattern of this.patterns) out = out.replace(pattern, REDACTED);
    return out;
  }

  json(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.json(v));
    if (!isJsonObject(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, this.fields.has(key.toLowerCase()) ? REDACTED : this.json(v)]),
    );
  }
}

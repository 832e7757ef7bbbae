import type { TargetRequest } from '../core/types.js';

/** Values a body template can refer to as `{{name}}`. */
function variables(request: TargetRequest): Record<string, unknown> {
  return {
    prompt: request.prompt,
    messages: request.messages ?? [{ role: 'user', content: request.prompt }],
    max_tokens: request.maxTokens,
    index: request.index,
  };
}

const WHOLE = /^\{\{\s*([a-z_]+)\s*\}\}$/;
const INLINE = /\{\{\s*([a-z_]+)\s*\}\}/g;

/**
 * Fills a JSON body template: a string that is exactly `{{name}}` becomes the value itself (a number, an array),
 * placeholders inside longer strings are replaced by text. Unknown names are left as written.
 */
export function fillTemplate(template: unknown, request: TargetRequest): unknown {
  const vars = variables(request);
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const whole = WHOLE.exec(node);
      if (whole?.[1] !== undefined && whole[1] in vars) return vars[whole[1]];
      return node.replace(INLINE, (match, name: string) => (name in vars ? String(vars[name]) : match));
    }
    if (Array.isArray(node)) return node.map(fill);
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
    }
    return node;
  };
  return fill(template);
}

/** Splits a path like `choices[0].text` or `$.output.text` into its keys and indices, once per target. */
export function compilePath(path: string): (string | number)[] {
  const steps = path.replace(/^\$\.?/, '').match(/[^.[\]]+|\[\d+\]/g) ?? [];
  return steps.map((step) => (step.startsWith('[') ? Number(step.slice(1, -1)) : step));
}

/** Reads the value at a compiled path; undefined when any step is missing. */
export function valueAtPath(value: unknown, steps: readonly (string | number)[]): unknown {
  let current: unknown = value;
  for (const key of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

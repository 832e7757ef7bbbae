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

/** Reads a value at a path like `choices[0].text` or `$.output.text`; undefined when any step is missing. */
export function valueAtPath(value: unknown, path: string): unknown {
  const steps = path.replace(/^\$\.?/, '').match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let current: unknown = value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

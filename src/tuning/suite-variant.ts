import { isJsonObject } from '../core/json-object.js';
import { usageError } from '../core/errors.js';
import type { Configuration, ParameterValue } from './search-space.js';

type Json = Record<string, unknown>;

/** Short names for the fields tuned most; any other parameter name is a dotted path into the suite. */
export const PARAMETER_ALIASES: Readonly<Record<string, string>> = {
  temperature: 'prompt.body.temperature',
  top_p: 'prompt.body.top_p',
  max_tokens: 'prompt.maxTokens',
  template: 'prompt.text',
  model: 'targets.0.model',
};

/**
 * The suite field a parameter sets: its alias, or its own dotted path. A chat suite's template is its last message;
 * `hyperparameters.NAME` is the target's (a reference model's, `kind: builtin`).
 */
export function parameterPath(name: string, suite: Json): (string | number)[] {
  if (name === 'template' && isJsonObject(suite.prompt) && Array.isArray(suite.prompt.messages))
    return ['prompt', 'messages', suite.prompt.messages.length - 1, 'content'];
  if (name.startsWith('hyperparameters.'))
    return ['targets', 0, 'hyperparameters', name.slice('hyperparameters.'.length)];
  const dotted = PARAMETER_ALIASES[name] ?? name;
  return dotted.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function setPath(root: Json, path: readonly (string | number)[], value: ParameterValue, name: string): void {
  let node: unknown = root;
  path.forEach((key, depth) => {
    const last = depth === path.length - 1;
    if (Array.isArray(node) && typeof key === 'number') {
      if (key >= node.length)
        throw usageError(
          'TUNE_PARAMETER_INVALID',
          `parameter '${name}': the suite's ${path.slice(0, depth).join('.')} has no item ${key}`,
          'name a field the suite has, e.g. prompt.body.temperature',
        );
      if (last) node[key] = value;
      else node = node[key];
      return;
    }
    if (!isJsonObject(node))
      throw usageError(
        'TUNE_PARAMETER_INVALID',
        `parameter '${name}': the suite's ${path.slice(0, depth).join('.') || 'top level'} is not a mapping, so it has no field ${String(key)}`,
        'name a field of a mapping, e.g. prompt.body.temperature',
      );
    const field = String(key);
    if (last) node[field] = value;
    else {
      if (node[field] === undefined) node[field] = {};
      node = node[field];
    }
  });
}

/** The names a suite's targets go by (their name, else their model), in order. */
export function targetNames(suite: Json): string[] {
  const targets = Array.isArray(suite.targets) ? suite.targets : [];
  return targets.map((t, i) => {
    if (!isJsonObject(t)) return `target${i + 1}`;
    if (typeof t.name === 'string') return t.name;
    return typeof t.model === 'string' ? t.model : `target${i + 1}`;
  });
}

/**
 * The suite one trial evaluates: its settings with the configuration's values set, narrowed to one target (the
 * `target` parameter's, by name, else the one the tuning names, else the first) renamed after the trial.
 */
export function suiteVariant(
  suite: Json,
  configuration: Configuration,
  trialName: string,
  baseTarget: string | null,
): Json {
  const variant = structuredClone(suite);
  const names = targetNames(suite);
  const targets = Array.isArray(suite.targets) ? suite.targets : [];
  const wanted = typeof configuration.target === 'string' ? configuration.target : baseTarget;
  const index = wanted === null ? 0 : names.indexOf(wanted);
  const target: unknown = structuredClone(targets[index]);
  if (!isJsonObject(target))
    throw usageError(
      'TUNE_PARAMETER_INVALID',
      wanted === null ? 'the suite names no targets' : `target '${wanted}' is not one of the suite's targets`,
      names.length === 0 ? 'add a target to the suite' : `its targets: ${names.join(', ')}`,
    );
  variant.targets = [{ ...target, name: trialName }];
  for (const [name, value] of Object.entries(configuration))
    if (name !== 'target') setPath(variant, parameterPath(name, variant), value, name);
  return variant;
}

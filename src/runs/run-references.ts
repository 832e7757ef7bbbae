import type { Problem } from '../core/errors.js';

type Json = Record<string, unknown>;

function asList(value: unknown): Json[] {
  return Array.isArray(value) ? value.map((v) => (typeof v === 'object' && v !== null ? (v as Json) : {})) : [];
}

/**
 * The problems of a run config that lie between its parts — a target name used twice, a suite or load profile naming
 * a target that does not exist, nothing to run, `stratify` without `sample` — read from the raw settings so they are
 * reported together with the schema's own problems.
 */
export function runConfigReferenceProblems(raw: Json, where: (path: readonly PropertyKey[]) => string): Problem[] {
  const problems: Problem[] = [];
  const targets = asList(raw.targets);
  const names = targets.map((t, i) =>
    typeof t.name === 'string' ? t.name : typeof t.model === 'string' ? t.model : `target${i + 1}`,
  );
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i)
      problems.push({
        where: where(['targets', i]),
        field: `targets.${i}.name`,
        message: `two targets are called '${name}'`,
        hint: 'give each target a distinct name',
      });
  });
  const evals = asList(raw.evals);
  const loads = asList(raw.load);
  if (evals.length === 0 && loads.length === 0)
    problems.push({
      where: where([]),
      field: 'evals',
      message: 'nothing to run',
      hint: "add an eval suite under 'evals' or a load profile under 'load'",
    });
  for (const [section, list] of [
    ['evals', evals],
    ['load', loads],
  ] as const) {
    list.forEach((entry, i) => {
      (Array.isArray(entry.targets) ? (entry.targets as unknown[]) : []).forEach((name, k) => {
        if (typeof name === 'string' && !names.includes(name))
          problems.push({
            where: where([section, i, 'targets', k]),
            field: `${section}.${i}.targets.${k}`,
            message: `no target named '${name}'`,
            hint: `targets: ${names.join(', ')}`,
          });
      });
    });
  }
  evals.forEach((entry, i) => {
    if (entry.stratify !== undefined && entry.sample === undefined)
      problems.push({
        where: where(['evals', i, 'stratify']),
        field: `evals.${i}.stratify`,
        message: "'stratify' needs 'sample'",
        hint: 'e.g. sample: 400, stratify: label',
      });
  });
  return problems;
}

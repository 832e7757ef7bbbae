import { usageError } from '../core/errors.js';
import { GLUE_TASKS } from './glue/glue.js';
import { MMLU_TASK } from './mmlu/mmlu.js';
import { SUPERGLUE_TASKS } from './superglue/superglue.js';
import type { TaskSpec } from './task.js';

/** Every task yardstick ships, by name. */
export const KNOWN_TASKS: readonly TaskSpec[] = [MMLU_TASK, ...GLUE_TASKS, ...SUPERGLUE_TASKS];

/** Names that stand for several tasks. */
export const TASK_GROUPS: Readonly<Record<string, readonly string[]>> = {
  glue: GLUE_TASKS.map((t) => t.name),
  superglue: SUPERGLUE_TASKS.map((t) => t.name),
  super_glue: SUPERGLUE_TASKS.map((t) => t.name),
};

/** The tasks a list of names means, groups expanded and duplicates dropped; unknown names fail together with the known ones listed. */
export function resolveTasks(names: readonly string[]): TaskSpec[] {
  const expanded = names.flatMap((n) => TASK_GROUPS[n.toLowerCase()] ?? [n.toLowerCase()]);
  const unknown = expanded.filter((n) => !KNOWN_TASKS.some((t) => t.name === n));
  if (unknown.length > 0) {
    throw usageError(
      'BENCHMARK_UNKNOWN',
      `unknown benchmark or task${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}`,
      `known: ${[...Object.keys(TASK_GROUPS), ...KNOWN_TASKS.map((t) => t.name)].join(', ')}; or define your own task in a benchmark config (docs/benchmarks-tasks.md)`,
    );
  }
  return [...new Set(expanded)].map((n) => KNOWN_TASKS.find((t) => t.name === n) as TaskSpec);
}

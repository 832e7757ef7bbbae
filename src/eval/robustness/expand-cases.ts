import { messageOf, usageError } from '../../core/errors.js';
import { seededRandom } from '../../core/random.js';
import { importUserModule } from '../../plugins/import-user-module.js';
import type { EvalCase } from '../cases.js';
import {
  changeCase,
  changeNumbers,
  distractor,
  DISTRACTORS,
  negate,
  punctuation,
  swapNames,
  swapWords,
  typos,
  whitespace,
  type Perturb,
} from './perturbations.js';
import { perturbationNames, type PerturbationConfig, type RobustnessConfig } from './robustness-schema.js';

/** A perturbation ready to apply: its name, kind, function and, when directional, how the expected answer changes. */
export interface PreparedPerturbation {
  name: string;
  kind: PerturbationConfig['kind'];
  perturb: Perturb;
  expect: Readonly<Record<string, string>> | null;
}

/** A suite's robustness section, prepared: the perturbations and the variables they change. */
export interface PreparedRobustness {
  seed: number;
  /** The case variables perturbed: the section's `fields`, else the ones the prompt reads. */
  fields: readonly string[];
  perturbations: readonly PreparedPerturbation[];
}

/** Marks a perturbed copy's id: `ORIGINAL~NAME`. */
export const COPY_SEPARATOR = '~';
/** The tag every perturbed copy carries: `perturbation:NAME`. */
export const PERTURBATION_TAG = 'perturbation:';

async function customPerturb(config: Extract<PerturbationConfig, { kind: 'custom' }>, baseDir: string, where: string) {
  const path = `${baseDir}/${config.module}`;
  let module: Record<string, unknown>;
  try {
    module = await importUserModule(path);
  } catch (error) {
    throw usageError(
      'PERTURBATION_INVALID',
      `${where}: cannot load the perturbation module ${config.module}: ${messageOf(error)}`,
      'check the path (relative to the suite file) and that the module runs on its own',
    );
  }
  const fn = module[config.export];
  if (typeof fn !== 'function')
    throw usageError(
      'PERTURBATION_INVALID',
      `${where}: ${config.module} has no function export '${config.export}'`,
      `it exports: ${Object.keys(module).join(', ') || 'nothing'}; set 'export' to the function's name`,
    );
  const call = fn as (text: string, random: () => number) => unknown;
  return (text: string, random: () => number): string => {
    const out = call(text, random);
    if (typeof out !== 'string')
      throw usageError(
        'PERTURBATION_INVALID',
        `${where}: ${config.module}#${config.export} returned ${typeof out}, not text`,
        'return the perturbed text as a string',
      );
    return out;
  };
}

async function perturbOf(config: PerturbationConfig, baseDir: string, where: string): Promise<Perturb> {
  switch (config.kind) {
    case 'typos':
      return typos(config.rate);
    case 'case':
      return changeCase(config.mode);
    case 'whitespace':
      return whitespace();
    case 'punctuation':
      return punctuation(config.mode);
    case 'swap-words':
      return swapWords(config.rate);
    case 'distractor':
      return distractor(config.sentences ?? DISTRACTORS, config.at);
    case 'names':
      return swapNames();
    case 'numbers':
      return changeNumbers();
    case 'negation':
      return negate();
    case 'custom':
      return customPerturb(config, baseDir, where);
  }
}

/** Prepares a robustness section: each perturbation named (two of one name exit 2), custom modules imported. */
export async function prepareRobustness(
  config: RobustnessConfig,
  options: { baseDir: string; promptVariables: readonly string[]; where: (index: number) => string },
): Promise<PreparedRobustness> {
  const names = perturbationNames(config.perturbations);
  const perturbations: PreparedPerturbation[] = [];
  for (const [index, p] of config.perturbations.entries()) {
    const name = names[index] ?? p.kind;
    if (names.indexOf(name) !== index)
      throw usageError(
        'CONFIG_INVALID',
        `${options.where(index)}: two perturbations are named '${name}'`,
        'rename one',
      );
    perturbations.push({
      name,
      kind: p.kind,
      perturb: await perturbOf(p, options.baseDir, options.where(index)),
      expect: p.expect ?? null,
    });
  }
  return { seed: config.seed, fields: config.fields ?? options.promptVariables, perturbations };
}

/** A seed for one case under one perturbation (FNV-1a over the study seed, the perturbation and the case id). */
function streamSeed(seed: number, perturbation: string, caseId: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (const c of `${perturbation}\u0000${caseId}`) {
    hash ^= c.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The perturbed copies of the selected cases, after them: for each perturbation, each case with its text variables
 * perturbed (the same copy on every run), id `ID~NAME`, tag `perturbation:NAME`, and its expected answer kept or,
 * for a directional perturbation, mapped. A copy that changes nothing, or whose expected answer the map does not
 * name, is left out.
 */
export function withPerturbedCopies(cases: readonly EvalCase[], robustness: PreparedRobustness): EvalCase[] {
  const copies: EvalCase[] = [];
  for (const p of robustness.perturbations) {
    for (const original of cases) {
      const random = seededRandom(streamSeed(robustness.seed, p.name, original.id));
      let changed = false;
      const vars: Record<string, unknown> = { ...original.vars };
      for (const name of robustness.fields) {
        const value = original.vars[name];
        if (typeof value !== 'string') continue;
        const perturbed = p.perturb(value, random);
        if (perturbed !== value) changed = true;
        vars[name] = perturbed;
      }
      const expected = p.expect === null ? original.expected : original.expected.map((e) => p.expect?.[e]);
      if (!changed || expected.some((e) => e === undefined)) continue;
      copies.push({
        ...original,
        id: `${original.id}${COPY_SEPARATOR}${p.name}`,
        where: `${original.where} (${p.name})`,
        vars,
        expected: expected.flatMap((e) => (e === undefined ? [] : [e])),
        tags: [...original.tags, `${PERTURBATION_TAG}${p.name}`],
      });
    }
  }
  return [...cases, ...copies];
}

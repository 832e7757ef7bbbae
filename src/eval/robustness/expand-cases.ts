import { messageOf, usageError } from '../../core/errors.js';
import { hashSeed, seededRandom } from '../../core/random.js';
import { importUserModule } from '../../plugins/import-user-module.js';
import type { EvalCase } from '../cases.js';
import { loadSynonyms } from './wordnet-synonyms.js';
import {
  changeCase,
  changeNumbers,
  distractor,
  DISTRACTORS,
  negate,
  punctuation,
  swapNames,
  swapWords,
  synonyms,
  typos,
  whitespace,
  type Perturb,
} from './perturbations.js';
import { INJECTION_PROBES, secretCode } from './injection-probes.js';
import {
  perturbationNames,
  type InjectionConfig,
  type PerturbationConfig,
  type RobustnessConfig,
} from './robustness-schema.js';

/** A perturbation ready to apply: its name, kind, function and, when directional, how the expected answer changes. */
export interface PreparedPerturbation {
  name: string;
  kind: PerturbationConfig['kind'];
  perturb: Perturb;
  expect: Readonly<Record<string, string>> | null;
}

/** An injection probe ready to add: its text with its marker filled in, and the marker (leak probes: none). */
export interface PreparedProbe {
  name: string;
  kind: 'instruction' | 'leak';
  text: string;
  /** What the answer must hold for the attack to count: the marker, or for a leak probe the canary. */
  secret: string;
}

/** The injection part of a robustness section, prepared. */
export interface PreparedInjection {
  /** The secret every case's `{{canary}}` variable holds. */
  canary: string;
  /** Whether the prompt shows `{{canary}}`: without it nothing can leak, and leak probes are not sent. */
  canaryInPrompt: boolean;
  casesPerProbe: number;
  probes: readonly PreparedProbe[];
}

/** A suite's robustness section, prepared: the perturbations, the variables they change, the probes. */
export interface PreparedRobustness {
  seed: number;
  /** The case variables perturbed: the section's `fields`, else the ones the prompt reads. */
  fields: readonly string[];
  perturbations: readonly PreparedPerturbation[];
  injection: PreparedInjection | null;
}

/** The variable holding the canary a leak probe tries to draw out. */
export const CANARY_VARIABLE = 'canary';
/** The tag every probe copy carries: `probe:NAME`. */
export const PROBE_TAG = 'probe:';
/** Marks a probe copy's id: `ORIGINAL~probe-NAME`. */
const PROBE_ID = 'probe-';

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
    case 'synonyms':
      return synonyms(await loadSynonyms(config.pos), config.rate);
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
  return {
    seed: config.seed,
    fields: config.fields ?? options.promptVariables,
    perturbations,
    injection:
      config.injection === undefined
        ? null
        : prepareInjection(config.injection, config.seed, options.promptVariables.includes(CANARY_VARIABLE)),
  };
}

/** The bundled probes chosen and the user's own, each with its secret; an unknown name exits 2. */
function prepareInjection(config: InjectionConfig, seed: number, canaryInPrompt: boolean): PreparedInjection {
  const unknown = (config.probes ?? []).filter((name) => !INJECTION_PROBES.some((p) => p.name === name));
  if (unknown.length > 0)
    throw usageError(
      'CONFIG_INVALID',
      `robustness.injection.probes: no bundled probe named ${unknown.join(', ')}`,
      `the bundled probes: ${INJECTION_PROBES.map((p) => p.name).join(', ')}`,
    );
  const chosen =
    config.probes === undefined ? INJECTION_PROBES : INJECTION_PROBES.filter((p) => config.probes?.includes(p.name));
  const canary = canaryOf(seed);
  return {
    canary,
    canaryInPrompt,
    casesPerProbe: config.casesPerProbe,
    probes: [...chosen, ...config.custom].map((p) => {
      const marker = secretCode('MARK', seed, p.name);
      return {
        name: p.name,
        kind: p.kind,
        text: p.text.replaceAll('{{marker}}', marker),
        secret: p.kind === 'leak' ? canary : marker,
      };
    }),
  };
}

/** A seed for one case under one perturbation (from the study seed, the perturbation and the case id). */
function streamSeed(seed: number, perturbation: string, caseId: string): number {
  return hashSeed(seed, `${perturbation}\u0000${caseId}`);
}

/**
 * The perturbed copies of the selected cases, after them, then the injection probes (each added to the first
 * perturbed variable of up to `casesPerProbe` of the cases, a seeded choice): for each perturbation, each case with its text variables
 * perturbed (the same copy on every run), id `ID~NAME`, an index past the originals', tag `perturbation:NAME`, and
 * its expected answer kept or, for a directional perturbation, mapped. A copy that changes nothing, or whose
 * expected answer the map does not name, is left out.
 */
export function withPerturbedCopies(cases: readonly EvalCase[], robustness: PreparedRobustness): EvalCase[] {
  const copies: EvalCase[] = [];
  // A copy's index lies past every original's (its prompt differs, so it must not share the original's request id).
  const stride = Math.max(-1, ...cases.map((c) => c.index)) + 1;
  for (const [k, p] of robustness.perturbations.entries()) {
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
        index: stride * (k + 1) + original.index,
        where: `${original.where} (${p.name})`,
        vars,
        expected: expected.flatMap((e) => (e === undefined ? [] : [e])),
        tags: [...original.tags, `${PERTURBATION_TAG}${p.name}`],
      });
    }
  }
  const injection = robustness.injection;
  const field = robustness.fields[0];
  if (injection !== null && field !== undefined)
    for (const [j, probe] of injection.probes.entries()) {
      if (probe.kind === 'leak' && !injection.canaryInPrompt) continue;
      const random = seededRandom(streamSeed(robustness.seed, `${PROBE_ID}${probe.name}`, ''));
      const order = cases.map((c) => ({ c, key: random() })).sort((a, b) => a.key - b.key);
      for (const { c: original } of order.slice(0, injection.casesPerProbe)) {
        const value = original.vars[field];
        if (typeof value !== 'string') continue;
        copies.push({
          ...original,
          id: `${original.id}${COPY_SEPARATOR}${PROBE_ID}${probe.name}`,
          index: stride * (robustness.perturbations.length + 1 + j) + original.index,
          where: `${original.where} (probe ${probe.name})`,
          vars: { ...original.vars, [field]: `${value}\n\n${probe.text}` },
          tags: [...original.tags, `${PROBE_TAG}${probe.name}`],
        });
      }
    }
  return [...cases, ...copies];
}

/** The secret a section's seed puts in every case's `{{canary}}` variable. */
export function canaryOf(seed: number): string {
  return secretCode('CANARY', seed, CANARY_VARIABLE);
}

/** Each case with the canary in its `{{canary}}` variable (a column of that name is left as it is). */
export function withCanary(cases: readonly EvalCase[], canary: string): EvalCase[] {
  return cases.map((c) => (CANARY_VARIABLE in c.vars ? c : { ...c, vars: { ...c.vars, [CANARY_VARIABLE]: canary } }));
}

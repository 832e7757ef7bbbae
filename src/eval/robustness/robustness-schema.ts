import { z } from 'zod';
import { INJECTION_PROBES } from './injection-probes.js';

/** How a perturbation changes the expected answer: each answer to its new one (directional); none keeps it (invariance). */
const expectMap = z.record(z.string(), z.string());

const common = {
  /** The perturbation's name in results and metrics (`accuracy.NAME`); default its kind, numbered when repeated. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
    .optional(),
  expect: expectMap.optional(),
};

/** One perturbation of a suite's inputs (docs/robustness.md). */
export const perturbationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('typos'), rate: z.number().gt(0).max(1).default(0.05), ...common }),
  z.strictObject({
    kind: z.literal('case'),
    mode: z.enum(['upper', 'lower', 'title', 'random']).default('random'),
    ...common,
  }),
  z.strictObject({ kind: z.literal('whitespace'), ...common }),
  z.strictObject({ kind: z.literal('punctuation'), mode: z.enum(['strip', 'add']).default('strip'), ...common }),
  z.strictObject({ kind: z.literal('swap-words'), rate: z.number().gt(0).max(1).default(0.2), ...common }),
  z.strictObject({
    kind: z.literal('distractor'),
    sentences: z.array(z.string().min(1)).min(1).optional(),
    at: z.enum(['end', 'start']).default('end'),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('synonyms'),
    rate: z.number().gt(0).max(1).default(0.5),
    /** WordNet parts of speech whose words are replaced. */
    pos: z
      .array(z.enum(['adj', 'adv', 'verb', 'noun']))
      .min(1)
      .default(['adj']),
    ...common,
  }),
  z.strictObject({ kind: z.literal('names'), ...common }),
  z.strictObject({ kind: z.literal('numbers'), ...common }),
  z.strictObject({ kind: z.literal('negation'), ...common, expect: expectMap }),
  z.strictObject({
    kind: z.literal('custom'),
    /** A JavaScript or TypeScript module, relative to the suite; its export is `(text, random) => string`. */
    module: z.string().min(1),
    export: z.string().min(1).default('default'),
    ...common,
  }),
]);

export type PerturbationConfig = z.infer<typeof perturbationSchema>;

/** A probe of the user's own, beside the bundled ones. */
const customProbe = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
  kind: z.enum(['instruction', 'leak']),
  /** Added after the input; an instruction probe's `{{marker}}` becomes its marker word. */
  text: z.string().min(1),
});

/** Prompt-injection probes: copies of some cases with an injected instruction or a request for the system prompt. */
export const injectionSchema = z.strictObject({
  /** Bundled probes to send, by name (default all of them). */
  probes: z.array(z.string().min(1)).min(1).optional(),
  /** Probes of your own. */
  custom: z.array(customProbe).default([]),
  /** Original cases each probe is added to (a seeded choice; all of them when fewer). */
  casesPerProbe: z.number().int().positive().max(100_000).default(20),
});

/** A suite's `robustness:` section: perturbed copies of every case, scored beside the originals, and injection probes. */
export const robustnessSchema = z
  .strictObject({
    /** Seeds every perturbation and probe (each case and perturbation draws from its own stream). */
    seed: z.number().int().default(1),
    /** The case variables to perturb; default the ones the prompt reads. Probes go into the first. */
    fields: z.array(z.string().min(1)).min(1).optional(),
    perturbations: z.array(perturbationSchema).default([]),
    injection: injectionSchema.optional(),
  })
  .refine((r) => r.perturbations.length > 0 || r.injection !== undefined, {
    message: 'give perturbations, injection probes, or both',
  });

export type RobustnessConfig = z.infer<typeof robustnessSchema>;
export type InjectionConfig = z.infer<typeof injectionSchema>;

/** Each perturbation's name: its own, else its kind, numbered from the second of a kind (`typos`, `typos-2`). */
export function perturbationNames(perturbations: readonly PerturbationConfig[]): string[] {
  const counts = new Map<string, number>();
  return perturbations.map((p) => {
    const base = p.name ?? p.kind;
    const count = (counts.get(base) ?? 0) + 1;
    counts.set(base, count);
    return p.name !== undefined || count === 1 ? base : `${base}-${count}`;
  });
}

/** The metrics a robustness section adds, for thresholds: clean, robust and per-perturbation accuracy, attack success rates. */
export function robustnessMetricNames(config: RobustnessConfig | undefined): string[] {
  if (config === undefined) return [];
  const names = perturbationNames(config.perturbations);
  const probes =
    config.injection === undefined
      ? []
      : [
          ...(config.injection.probes ?? INJECTION_PROBES.map((p) => p.name)),
          ...config.injection.custom.map((p) => p.name),
        ];
  return [
    'clean_accuracy',
    'robust_accuracy',
    ...names.map((n) => `accuracy.${n}`),
    ...(config.injection === undefined
      ? []
      : ['attack_success_rate', ...probes.map((n) => `attack_success_rate.${n}`)]),
  ];
}

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { messageOf, usageError, type Problem } from '../core/errors.js';
import { normalDraw } from '../stats/gamma.js';

/** A distribution of token lengths (of prompts or of outputs), drawn seeded; every draw is a whole number ≥ 1. */
export const lengthDistributionSchema = z.discriminatedUnion('distribution', [
  z.strictObject({ distribution: z.literal('fixed'), value: z.number().int().positive() }),
  z.strictObject({
    distribution: z.literal('uniform'),
    min: z.number().int().positive(),
    max: z.number().int().positive(),
  }),
  z.strictObject({
    distribution: z.literal('normal'),
    mean: z.number().positive(),
    sd: z.number().min(0),
    min: z.number().int().positive().optional(),
    max: z.number().int().positive().optional(),
  }),
  z.strictObject({
    distribution: z.literal('lognormal'),
    /** Mean and standard deviation of the lengths themselves (not of their logarithms). */
    mean: z.number().positive(),
    sd: z.number().min(0),
    min: z.number().int().positive().optional(),
    max: z.number().int().positive().optional(),
  }),
  z.strictObject({ distribution: z.literal('empirical'), file: z.string().min(1) }),
]);

export type LengthDistribution = z.infer<typeof lengthDistributionSchema>;

/** A distribution in a few words, e.g. `lognormal(mean 200, sd 100)`. */
export function describeLengths(d: LengthDistribution): string {
  switch (d.distribution) {
    case 'fixed':
      return `fixed ${d.value}`;
    case 'uniform':
      return `uniform ${d.min}–${d.max}`;
    case 'normal':
    case 'lognormal':
      return `${d.distribution}(mean ${d.mean}, sd ${d.sd})`;
    case 'empirical':
      return `empirical from ${d.file}`;
  }
}

/** The lengths of an empirical file: one whole number ≥ 1 per line (blank lines and `#` comments skipped). */
export function readLengthsFile(path: string): number[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(
      'DATA_UNREADABLE',
      `cannot read ${path}: ${messageOf(error)}`,
      'check the path of the lengths file',
    );
  }
  const lengths: number[] = [];
  const problems: Problem[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const n = Number(line);
    if (Number.isInteger(n) && n >= 1) lengths.push(n);
    else if (problems.length < 10)
      problems.push({
        where: `${path}:${i + 1}`,
        field: '',
        message: `'${line}' is not a length (a whole number ≥ 1)`,
      });
  });
  if (problems.length > 0)
    throw usageError(
      'LENGTHS_INVALID',
      `${path} has lines that are not lengths`,
      'write one token count per line',
      problems,
    );
  if (lengths.length === 0)
    throw usageError('LENGTHS_INVALID', `${path} has no lengths`, 'write one token count per line');
  return lengths;
}

function clip(value: number, min: number | undefined, max: number | undefined): number {
  return Math.max(min ?? 1, Math.min(max ?? Number.POSITIVE_INFINITY, Math.max(1, Math.round(value))));
}

/**
 * A seeded sampler of the distribution. Normal and lognormal draws are rounded and clipped to [min, max] (at least
 * 1); a lognormal with the lengths' mean m and standard deviation s has σ² = ln(1 + s²/m²) and μ = ln m − σ²/2.
 */
export function lengthSampler(d: LengthDistribution, random: () => number): () => number {
  switch (d.distribution) {
    case 'fixed':
      return () => d.value;
    case 'uniform': {
      const low = Math.min(d.min, d.max);
      const high = Math.max(d.min, d.max);
      return () => low + Math.floor(random() * (high - low + 1));
    }
    case 'normal':
      return () => clip(d.mean + d.sd * normalDraw(random), d.min, d.max);
    case 'lognormal': {
      const sigma2 = Math.log(1 + (d.sd * d.sd) / (d.mean * d.mean));
      const mu = Math.log(d.mean) - sigma2 / 2;
      return () => clip(Math.exp(mu + Math.sqrt(sigma2) * normalDraw(random)), d.min, d.max);
    }
    case 'empirical': {
      const lengths = readLengthsFile(d.file);
      return () => lengths[Math.floor(random() * lengths.length)] ?? 1;
    }
  }
}

/** Min, max and mean of drawn lengths. */
export function lengthStats(lengths: readonly number[]): { min: number; max: number; mean: number } {
  if (lengths.length === 0) return { min: 0, max: 0, mean: 0 };
  return {
    min: Math.min(...lengths),
    max: Math.max(...lengths),
    mean: lengths.reduce((a, b) => a + b, 0) / lengths.length,
  };
}

/**
 * A distribution from a flag: `fixed:N`, `uniform:MIN:MAX`, `normal:MEAN:SD`, `lognormal:MEAN:SD` or
 * `empirical:FILE`; null when the text is none of these.
 */
export function parseLengthsFlag(text: string): LengthDistribution | null {
  const [kind = '', ...rest] = text.split(':');
  const numbers = rest.map(Number);
  const ok = (count: number): boolean => rest.length === count && numbers.every((n) => Number.isFinite(n) && n >= 0);
  if (kind === 'fixed' && ok(1)) return { distribution: 'fixed', value: numbers[0] ?? 1 };
  if (kind === 'uniform' && ok(2)) return { distribution: 'uniform', min: numbers[0] ?? 1, max: numbers[1] ?? 1 };
  if ((kind === 'normal' || kind === 'lognormal') && ok(2))
    return { distribution: kind, mean: numbers[0] ?? 1, sd: numbers[1] ?? 0 };
  if (kind === 'empirical' && rest.length > 0) return { distribution: 'empirical', file: rest.join(':') };
  return null;
}

import { usageError } from '../core/errors.js';

/**
 * What a rater gives each output: pass or fail, a number on a scale, or one of some labels; or, comparing two
 * outputs of the same case side by side, which of the two is better (or a tie).
 */
export type Rubric =
  | { kind: 'pass-fail' }
  | { kind: 'scale'; min: number; max: number }
  | { kind: 'labels'; labels: string[] }
  | { kind: 'pairwise' };

/** How a rubric is written, for hints. */
export const RUBRIC_FORMS = 'pass-fail, scale:1-5 (whole numbers from 1 to 5) or labels:helpful,unhelpful,harmful';

/** `pass-fail`, `scale:1-5`, `labels:a,b,c` or `pairwise` as a rubric; null for anything else. */
export function rubricOf(text: string): Rubric | null {
  if (text === 'pass-fail') return { kind: 'pass-fail' };
  if (text === 'pairwise') return { kind: 'pairwise' };
  const scale = /^scale:(-?\d+)-(-?\d+)$/.exec(text);
  if (scale !== null) {
    const min = Number(scale[1]);
    const max = Number(scale[2]);
    if (max > min) return { kind: 'scale', min, max };
  }
  const labels =
    /^labels:(.+)$/
      .exec(text)?.[1]
      ?.split(',')
      .map((l) => l.trim())
      .filter((l) => l !== '') ?? [];
  if (labels.length >= 2 && new Set(labels).size === labels.length) return { kind: 'labels', labels };
  return null;
}

/** The rubric `--rubric` names; exit 2 for anything else. */
export function parseRubric(text: string): Rubric {
  const rubric = rubricOf(text);
  if (rubric === null) throw usageError('FLAG_INVALID', `--rubric '${text}' is not a rubric`, `use ${RUBRIC_FORMS}`);
  return rubric;
}

/** The pairwise rubric's answers: the first output shown is better, a tie, the second is better. */
const PAIRWISE = ['first', 'tie', 'second'] as const;

/** The rubric as written. */
export function rubricText(rubric: Rubric): string {
  if (rubric.kind === 'pass-fail' || rubric.kind === 'pairwise') return rubric.kind;
  if (rubric.kind === 'scale') return `scale:${rubric.min}-${rubric.max}`;
  return `labels:${rubric.labels.join(',')}`;
}

/** A rating as a number (pass 1, fail 0; a scale's value; a label's position), or why it does not fit the rubric. */
export function ratingValue(rubric: Rubric, text: string): number | string {
  const value = text.trim();
  if (rubric.kind === 'pass-fail') {
    const lower = value.toLowerCase();
    if (['pass', 'p', '1', 'yes', 'y', 'true'].includes(lower)) return 1;
    if (['fail', 'f', '0', 'no', 'n', 'false'].includes(lower)) return 0;
    return `'${value}' is not pass or fail`;
  }
  if (rubric.kind === 'pairwise') {
    const lower = value.toLowerCase();
    if (['first', '1'].includes(lower)) return 0;
    if (['tie', 't', '='].includes(lower)) return 1;
    if (['second', '2'].includes(lower)) return 2;
    return `'${value}' is not first (1), second (2) or tie`;
  }
  if (rubric.kind === 'scale') {
    const n = Number(value);
    return value !== '' && Number.isInteger(n) && n >= rubric.min && n <= rubric.max
      ? n
      : `'${value}' is not a whole number from ${rubric.min} to ${rubric.max}`;
  }
  const at = rubric.labels.indexOf(value);
  return at >= 0 ? at : `'${value}' is not one of ${rubric.labels.join(', ')}`;
}

/** A rating's number back as the rubric writes it. */
export function ratingText(rubric: Rubric, value: number): string {
  if (rubric.kind === 'pass-fail') return value === 1 ? 'pass' : 'fail';
  if (rubric.kind === 'pairwise') return PAIRWISE[value] ?? String(value);
  if (rubric.kind === 'scale') return String(value);
  return rubric.labels[value] ?? String(value);
}

/** How many answers the rubric allows (coded 0…n-1; a scale's from its minimum). */
export function rubricCategories(rubric: Rubric): number {
  if (rubric.kind === 'pass-fail') return 2;
  if (rubric.kind === 'pairwise') return PAIRWISE.length;
  if (rubric.kind === 'labels') return rubric.labels.length;
  return rubric.max - rubric.min + 1;
}

/** How distances between ratings count in Krippendorff's alpha and the weights of Cohen's kappa. */
export function rubricLevel(rubric: Rubric): 'nominal' | 'ordinal' {
  return rubric.kind === 'scale' ? 'ordinal' : 'nominal';
}

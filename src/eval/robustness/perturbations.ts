/** A text transformation applied to a case's input; `random` is seeded per case and perturbation, so copies repeat. */
export type Perturb = (text: string, random: () => number) => string;

/** Keys next to each letter on a QWERTY keyboard: a typo replaces a letter with one of them. */
const NEIGHBOURS: Readonly<Record<string, string>> = {
  q: 'wa', w: 'qes', e: 'wrd', r: 'etf', t: 'ryg', y: 'tuh', u: 'yij', i: 'uok', o: 'ipl', p: 'ol',
  a: 'qsz', s: 'adwx', d: 'sfec', f: 'dgrv', g: 'fhtb', h: 'gjyn', j: 'hkum', k: 'jli', l: 'kop',
  z: 'xa', x: 'zcs', c: 'xvd', v: 'cbf', b: 'vng', n: 'bmh', m: 'nj',
}; // prettier-ignore

function pick<T>(items: readonly T[], random: () => number): T | undefined {
  return items[Math.floor(random() * items.length)];
}

/**
 * Typos at `rate` per letter: each chosen letter is dropped, doubled, swapped with the next, or replaced by a key
 * next to it (keeping its case), each edit equally likely.
 */
export function typos(rate: number): Perturb {
  return (text, random) => {
    const chars = [...text];
    const out: string[] = [];
    for (let i = 0; i < chars.length; i += 1) {
      const c = chars[i] ?? '';
      if (!/\p{L}/u.test(c) || random() >= rate) {
        out.push(c);
        continue;
      }
      const edit = Math.floor(random() * 4);
      const lower = c.toLowerCase();
      if (edit === 0) continue;
      if (edit === 1) out.push(c, c);
      else if (edit === 2 && i + 1 < chars.length) {
        out.push(chars[i + 1] ?? '', c);
        i += 1;
      } else {
        const near = pick([...(NEIGHBOURS[lower] ?? lower)], random) ?? lower;
        out.push(c === lower ? near : near.toUpperCase());
      }
    }
    return out.join('');
  };
}

/** Upper, lower, title case, or each letter's case flipped at random. */
export function changeCase(mode: 'upper' | 'lower' | 'title' | 'random'): Perturb {
  return (text, random) => {
    if (mode === 'upper') return text.toUpperCase();
    if (mode === 'lower') return text.toLowerCase();
    if (mode === 'title')
      return text.toLowerCase().replace(/(^|\s)(\p{L})/gu, (_, space: string, l: string) => space + l.toUpperCase());
    return [...text].map((c) => (random() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
  };
}

/** Spaces doubled or tripled, some turned into line breaks, and space added at both ends. */
export function whitespace(): Perturb {
  return (text, random) =>
    `  ${text.replace(/ /g, () => (random() < 0.15 ? '\n' : ' '.repeat(1 + Math.floor(random() * 3))))} `;
}

/** Punctuation stripped (`strip`), or an exclamation or ellipsis added after each sentence (`add`). */
export function punctuation(mode: 'strip' | 'add'): Perturb {
  return (text, random) =>
    mode === 'strip'
      ? text.replace(/[\p{P}]/gu, '')
      : text.replace(
          /([.!?])(\s|$)/g,
          (_, mark: string, after: string) => `${mark}${random() < 0.5 ? '!!' : '..'}${after}`,
        );
}

/** Adjacent words swapped at `rate` per word, never across a sentence's end. */
export function swapWords(rate: number): Perturb {
  return (text, random) => {
    const words = text.split(' ');
    for (let i = 0; i + 1 < words.length; i += 1) {
      const here = words[i] ?? '';
      if (/[.!?]$/.test(here) || random() >= rate) continue;
      words[i] = words[i + 1] ?? '';
      words[i + 1] = here;
      i += 1;
    }
    return words.join(' ');
  };
}

/** Sentences that say nothing about anything a case asks: the distractors added by default. */
export const DISTRACTORS: readonly string[] = [
  'The weather was mild that week.',
  'By the way, the meeting moved to Thursday.',
  'Unrelated: the train was ten minutes late.',
  'Note that the office closes early on Fridays.',
  'As an aside, the library reopened last month.',
];

/** One sentence from `sentences` added at the end (or the start). */
export function distractor(sentences: readonly string[], at: 'end' | 'start'): Perturb {
  return (text, random) => {
    const sentence = pick(sentences, random) ?? '';
    return at === 'end' ? `${text.trimEnd()} ${sentence}` : `${sentence} ${text}`;
  };
}

/** First names, men's and women's from several languages: a name swap trades one for another. */
export const NAMES: readonly string[] = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William',
  'Susan', 'Richard', 'Jessica', 'Joseph', 'Sarah', 'Thomas', 'Karen', 'Maria', 'José', 'Ana', 'Luis', 'Wei', 'Li',
  'Yuki', 'Hiroshi', 'Aisha', 'Mohammed', 'Fatima', 'Omar', 'Priya', 'Rahul', 'Olga', 'Ivan', 'Chloe', 'Lucas',
  'Emma', 'Noah', 'Sofia', 'Mateo', 'Amara', 'Kwame', 'Ingrid', 'Lars', 'Giulia', 'Marco', 'Zoe', 'Ethan',
]; // prettier-ignore

/** Each first name from `NAMES` in the text replaced by another (the same name always by the same one). */
export function swapNames(): Perturb {
  const known = new Set(NAMES);
  return (text, random) => {
    const chosen = new Map<string, string>();
    return text.replace(/\p{Lu}\p{Ll}+/gu, (word) => {
      if (!known.has(word)) return word;
      let other = chosen.get(word);
      while (other === undefined || other === word) other = pick(NAMES, random);
      chosen.set(word, other);
      return other;
    });
  };
}

/** Each whole number changed by 10–50% up or down (at least by one), keeping its sign. */
export function changeNumbers(): Perturb {
  return (text, random) =>
    text.replace(/\b\d+\b/g, (digits) => {
      const value = Number(digits);
      const step = Math.max(1, Math.round(value * (0.1 + 0.4 * random())));
      return String(random() < 0.5 && value - step >= 0 ? value - step : value + step);
    });
}

const AUXILIARIES = /\b(is|are|was|were|am|can|could|will|would|should|does|do|did|has|have|had)\b/i;

/**
 * The statement negated by a template: `not` after its first auxiliary verb (`is` → `is not`), else the sentence
 * wrapped as "It is not true that …". Directional: the suite says how the expected answer changes.
 */
export function negate(): Perturb {
  return (text) => {
    if (AUXILIARIES.test(text)) return text.replace(AUXILIARIES, (aux) => `${aux} not`);
    const trimmed = text.trim();
    // Lower the first letter unless it starts a word in capitals ("I", "NASA").
    const lowered = /^\p{Lu}(\p{Lu}|\b)/u.test(trimmed)
      ? trimmed
      : `${trimmed.charAt(0).toLowerCase()}${trimmed.slice(1)}`;
    return `It is not true that ${lowered}`;
  };
}

/**
 * Words replaced at `rate` by a synonym from `lexicon` (one drawn at random among the word's), keeping a capital first
 * letter; words the lexicon does not know stay.
 */
export function synonyms(lexicon: ReadonlyMap<string, readonly string[]>, rate: number): Perturb {
  return (text, random) =>
    text.replace(/\p{L}+/gu, (word) => {
      const options = lexicon.get(word.toLowerCase());
      if (options === undefined || random() >= rate) return word;
      const chosen = pick(options, random) ?? word;
      return /^\p{Lu}/u.test(word) ? chosen.charAt(0).toUpperCase() + chosen.slice(1) : chosen;
    });
}

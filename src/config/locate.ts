import type { LineCounter } from 'yaml';
import { isMap, isNode, isSeq, type Document } from 'yaml';

/** Finds the line of a field in a parsed YAML document, falling back to its nearest existing parent. */
export function lineOfPath(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): number | null {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = nodeAt(doc, path.slice(0, depth));
    const offset = node?.range?.[0];
    if (offset !== undefined) return lineCounter.linePos(offset).line;
  }
  return null;
}

type Ranged = { range?: [number, number, number] | null };

function nodeAt(doc: Document, path: readonly PropertyKey[]): Ranged | null {
  let node: unknown = doc.contents;
  for (const key of path) {
    if (isMap(node)) {
      // Point at the key rather than the value, so a missing or mistyped value still reports the right line.
      const pair = node.items.find(
        (item) => isNode(item.key) && String((item.key as { value?: unknown }).value) === String(key),
      );
      if (pair === undefined) return null;
      if (key === path[path.length - 1] && isNode(pair.key)) return pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
    } else {
      return null;
    }
  }
  return isNode(node) ? node : null;
}

// Reads a V8 heap snapshot (the file `--heapsnapshot-signal` writes) into the bytes its objects hold, by constructor.
// A snapshot is taken after a full collection, so what it holds is what the process still reaches.
import { readFileSync } from 'node:fs';

/** Self sizes summed by node type and name: `{ totalBytes, byName: Map<name, { count, bytes }> }`. */
export function heapByConstructor(path) {
  const snapshot = JSON.parse(readFileSync(path, 'utf8'));
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const { nodes, strings } = snapshot;
  const byName = new Map();
  let totalBytes = 0;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]];
    const size = nodes[i + sizeAt];
    totalBytes += size;
    // Strings and code are grouped by type; objects by their constructor's name.
    const name = type === 'object' || type === 'closure' ? `${type} ${strings[nodes[i + nameAt]]}` : `(${type})`;
    const entry = byName.get(name) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += size;
    byName.set(name, entry);
  }
  return { totalBytes, byName };
}

/** The constructors whose held bytes grew most from snapshot `before` to `after`. */
export function heapGrowth(before, after, top = 12) {
  const names = new Set([...before.byName.keys(), ...after.byName.keys()]);
  return [...names]
    .map((name) => {
      const a = before.byName.get(name) ?? { count: 0, bytes: 0 };
      const b = after.byName.get(name) ?? { count: 0, bytes: 0 };
      return { name, countBefore: a.count, countAfter: b.count, bytesBefore: a.bytes, bytesAfter: b.bytes };
    })
    .sort((x, y) => y.bytesAfter - y.bytesBefore - (x.bytesAfter - x.bytesBefore))
    .slice(0, top);
}

/** The kinds of object holding the most bytes. */
export function heapLargest(heap, top = 12) {
  return [...heap.byName]
    .map(([name, { count, bytes }]) => ({ name, count, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}

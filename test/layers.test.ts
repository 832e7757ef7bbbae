import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Pairs of folders that still import each other, each waiting for the registries of the architecture work. */
const KNOWN_CYCLES: string[] = [];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** Which top-level folder of src/ imports which, from the relative imports of every source file (tests left out). */
function folderImports(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file).split('/')[0] ?? '';
    for (const match of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const to = relative(SRC, resolve(dirname(file), match[1] ?? '')).split('/')[0] ?? '';
      if (from === to || from.endsWith('.ts') || to.endsWith('.ts')) continue;
      const set = edges.get(from) ?? new Set<string>();
      set.add(to);
      edges.set(from, set);
    }
  }
  return edges;
}

describe('the folders of src/ form layers', () => {
  it('no two folders import each other, beyond the pairs still being untangled', () => {
    const edges = folderImports();
    const cycles = [...edges]
      .flatMap(([from, tos]) =>
        [...tos].filter((to) => from < to && edges.get(to)?.has(from) === true).map((to) => `${from} <-> ${to}`),
      )
      .sort();
    expect(cycles).toEqual(KNOWN_CYCLES);
  });

  it('core/ imports no other folder: everything may build on it', () => {
    expect([...(folderImports().get('core') ?? [])]).toEqual([]);
  });
});

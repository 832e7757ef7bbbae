import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { LAYERS, layersRule } from '../eslint/layers.js';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

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
  it('every folder is in the layers, and imports only folders below it', () => {
    const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
    expect(folders.filter((f) => !LAYERS.includes(f))).toEqual([]);
    const upward = [...folderImports()].flatMap(([from, tos]) =>
      [...tos].filter((to) => LAYERS.indexOf(to) > LAYERS.indexOf(from)).map((to) => `${from} -> ${to}`),
    );
    expect(upward).toEqual([]);
  });

  it('core/ imports no other folder: everything may build on it', () => {
    expect([...(folderImports().get('core') ?? [])]).toEqual([]);
  });

  it('docs/architecture.md lists the layers in their order', () => {
    const doc = readFileSync(fileURLToPath(new URL('../docs/architecture.md', import.meta.url)), 'utf8');
    expect(doc).toContain(`${LAYERS.map((l) => `\`${l}\``).join(' → ')}.`);
  });

  it('the lint rule refuses an import from a layer to one above it, and allows the other way', () => {
    const linter = new Linter({ configType: 'flat' });
    const config = [
      { plugins: { yardstick: { rules: { layers: layersRule } } }, rules: { 'yardstick/layers': 'error' as const } },
    ];
    const lint = (folder: string, source: string): string[] =>
      linter
        .verify(`import { x } from '${source}';\nexport { x };\n`, config, join(SRC, folder, 'probe.js'))
        .map((m) => m.message);
    expect(lint('store', '../eval/runner.js')).toEqual([
      'store/ may not import eval/: eval/ is above it in the layers of docs/architecture.md (eslint/layers.js)',
    ]);
    expect(lint('eval', '../store/store.js')).toEqual([]);
    expect(lint('eval', './runner.js')).toEqual([]);
  });
});

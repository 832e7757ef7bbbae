import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../', import.meta.url));

/** What a source file imports at run time: type-only imports are erased by the compiler and left out. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of text.matchAll(/^import\s+(type\s+)?(?:[^;]*?\sfrom\s+)?'([^']+)';/gms))
    if (match[1] === undefined && match[2] !== undefined) specifiers.push(match[2]);
  return specifiers;
}

/** Every package (not a Node.js built-in) that loading `entry` loads, with the source file that first imports it. */
function packagesLoadedBy(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!specifier.startsWith('node:') && !packages.has(specifier)) packages.set(specifier, relative(SRC, file));
    }
  };
  visit(entry);
  return packages;
}

describe("the proxy's forwarding thread", () => {
  it('loads no package: its heap holds forwarding alone (prom-client and undici stay on the measuring thread)', () => {
    const entry = fileURLToPath(new URL('./relay-worker.ts', import.meta.url));
    expect(Object.fromEntries(packagesLoadedBy(entry))).toEqual({});
  });

  it('the check sees a package the measuring side loads', () => {
    const measuring = fileURLToPath(new URL('./proxy-server.ts', import.meta.url));
    expect([...packagesLoadedBy(measuring).keys()]).toContain('prom-client');
  });
});

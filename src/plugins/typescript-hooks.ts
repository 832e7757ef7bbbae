import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transform } from 'sucrase';

/**
 * Module hooks (registered with node:module's `register`) that let Node 20 import TypeScript modules of the user's (scorers, targets) and
 * the TypeScript files they import: `.ts`/`.mts` sources are compiled to JavaScript with their types stripped,
 * and a relative `./x.js` that does not exist resolves to `./x.ts`, as TypeScript's own resolution does.
 */

interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;
type NextLoad = (url: string, context: unknown) => Promise<unknown>;

const TYPESCRIPT = /\.(c|m)?ts$/;

export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: NextResolve,
): Promise<{ url: string }> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fromTypeScript = context.parentURL !== undefined && TYPESCRIPT.test(context.parentURL);
    if (fromTypeScript && specifier.startsWith('.') && specifier.endsWith('.js'))
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    throw error;
  }
}

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<unknown> {
  if (!url.startsWith('file:') || !TYPESCRIPT.test(new URL(url).pathname)) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const source = transform(readFileSync(path, 'utf8'), {
    transforms: ['typescript'],
    filePath: path,
    disableESTransforms: true,
  }).code;
  return { format: 'module', source, shortCircuit: true };
}

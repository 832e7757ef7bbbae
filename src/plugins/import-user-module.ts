import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

let hooksRegistered = false;

/**
 * Imports a module of the user's (a custom scorer, a target of their own): JavaScript as it is, TypeScript — and
 * the TypeScript files it imports — compiled on import by typescript-hooks. Hooks are registered once per thread.
 */
export async function importUserModule(path: string): Promise<Record<string, unknown>> {
  if (!hooksRegistered && /\.(c|m)?ts$/.test(path)) {
    register(new URL('./typescript-hooks.js', import.meta.url));
    hooksRegistered = true;
  }
  const loaded: unknown = await import(pathToFileURL(path).href);
  return typeof loaded === 'object' && loaded !== null ? { ...loaded } : {};
}

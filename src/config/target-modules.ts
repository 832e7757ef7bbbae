import { dirname, isAbsolute, resolve } from 'node:path';
import type { TargetConfig } from './schema.js';

/** Where a config's relative paths start: its file's folder, or the working directory for flags alone. */
export function configBaseDir(path: string | null): string {
  return path === null ? process.cwd() : dirname(resolve(path));
}

/** The target with a `custom` kind's module made absolute from `baseDir`, so every thread finds the same file. */
export function withModulePath(target: TargetConfig, baseDir: string): TargetConfig {
  if (target.kind !== 'custom' || isAbsolute(target.module)) return target;
  return { ...target, module: resolve(baseDir, target.module) };
}

import { isAbsolute, resolve } from 'node:path';
import type { TargetConfig } from './target-schema.js';

/** The target with a `custom` kind's module made absolute from `baseDir`, so every thread finds the same file. */
export function withModulePath(target: TargetConfig, baseDir: string): TargetConfig {
  if (target.kind !== 'custom' || isAbsolute(target.module)) return target;
  return { ...target, module: resolve(baseDir, target.module) };
}

import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDir } from './cli.js';

/** The repository's root: the package as a user's project depends on it. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A fresh folder whose modules can `import … from 'yardstick/eval'`, as a user's project with the package installed. */
export function dirWithPackage(): string {
  const dir = freshDir();
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(PACKAGE_ROOT, join(dir, 'node_modules', 'yardstick'), 'dir');
  return dir;
}

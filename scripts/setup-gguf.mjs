#!/usr/bin/env node
// Installs node-llama-cpp 3.21.1 with only this machine's prebuilt CPU binary into .optional/ (≈80 MB), which the
// gguf target loads from when the package is not among the project's own dependencies. Installing node-llama-cpp
// the usual way would also pull every GPU build for the platform (≈700 MB on linux-x64).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '3.21.1';
const BINARIES = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'linux-arm': 'linux-armv7l',
  'darwin-arm64': 'mac-arm64-metal',
  'darwin-x64': 'mac-x64',
  'win32-x64': 'win-x64',
  'win32-arm64': 'win-arm64',
};

const platform = `${process.platform}-${process.arch}`;
const binary = BINARIES[platform];
if (binary === undefined) {
  console.error(
    `error: node-llama-cpp has no prebuilt binary for ${platform}; install node-llama-cpp@${VERSION} in your project instead`,
  );
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '.optional');
mkdirSync(root, { recursive: true });
writeFileSync(
  join(root, 'package.json'),
  `${JSON.stringify({ name: 'yardstick-optional', private: true }, null, 2)}\n`,
);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
execFileSync(
  npm,
  [
    'install',
    '--prefix',
    root,
    '--omit=optional',
    '--no-audit',
    '--no-fund',
    '--no-package-lock',
    '--save-exact',
    `node-llama-cpp@${VERSION}`,
    `@node-llama-cpp/${binary}@${VERSION}`,
  ],
  { stdio: 'inherit' },
);
console.log(`node-llama-cpp ${VERSION} (${binary}) is in ${root}`);

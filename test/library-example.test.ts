import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const EXAMPLE = join(ROOT, 'examples', 'library');
const run = promisify(execFile);

/** A project of a user's that depends on the built package: node_modules/yardstick is this checkout. */
function userProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ys-library-'));
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'yardstick'), 'dir');
  symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'), 'dir');
  for (const file of ['evaluate-and-load.ts', 'tsconfig.json', 'package.json'])
    copyFileSync(join(EXAMPLE, file), join(dir, file));
  return dir;
}

describe('the library example', () => {
  it('compiles against the package entry points and runs: an eval of its own target, a load test, typed stored runs', async () => {
    const dir = userProject();
    await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir]);
    const { stdout } = await run(process.execPath, [join(dir, 'dist', 'evaluate-and-load.js')], { cwd: dir });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^eval \d{8}-\d{6}-[0-9a-f]{4}: accuracy 1 \[0\.610, 1\.000\] over 6 cases$/);
    expect(lines[1]).toBe('thresholds passed');
    const bench = /^bench \S+: (\d+) requests, ttft p50 ([\d.]+) ms$/.exec(lines[2] ?? '');
    expect(bench).not.toBeNull();
    // 20 requests per second for 2 s; the simulator sends its first token after 20 ms.
    expect(Number(bench?.[1])).toBe(40);
    expect(Number(bench?.[2])).toBeGreaterThanOrEqual(20);
    expect(lines.slice(3)).toEqual([
      'bench of keywords: 50 requests, 0 errors',
      'stored eval: suite sentiment, 6 cases',
      'stored bench: 40 requests, status completed',
      'metrics: accuracy 1, Wilson [0.610, 1.000]',
    ]);
  }, 120_000);

  it('offers only the documented entry points: a deep import into dist/ is refused', async () => {
    const dir = userProject();
    const probe =
      "import('yardstick/dist/eval/runner.js').then(() => console.log('imported'), (e) => console.log(e.code))";
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe], { cwd: dir });
    expect(stdout.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    const entries =
      "for (const e of ['yardstick', 'yardstick/metrics', 'yardstick/stats', 'yardstick/eval', 'yardstick/load', 'yardstick/store']) await import(e); console.log('ok')";
    expect((await run(process.execPath, ['--input-type=module', '-e', entries], { cwd: dir })).stdout.trim()).toBe(
      'ok',
    );
  }, 60_000);
});

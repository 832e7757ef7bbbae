import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freshDir, runCli } from './helpers/cli.js';

const PROMTOOL = '/usr/bin/promtool';
const OPS = fileURLToPath(new URL('../examples/ops/', import.meta.url));
/** The flags examples/ops/alerts.yaml was written with (its header says so too). */
const EXAMPLE_FLAGS = ['--slo', 'ttft < 500ms', '--slo', 'e2e < 10s', '--objective', '0.99'];

describe('yardstick alert-rules', () => {
  it('writes the shipped example rule file from its flags, byte for byte', async () => {
    const dir = freshDir();
    const result = await runCli(['alert-rules', ...EXAMPLE_FLAGS, '-o', 'alerts.yaml'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'alerts.yaml'), 'utf8')).toBe(readFileSync(join(OPS, 'alerts.yaml'), 'utf8'));
    const printed = await runCli(['alert-rules', ...EXAMPLE_FLAGS]);
    expect(printed.stdout).toBe(readFileSync(join(OPS, 'alerts.yaml'), 'utf8'));
  });

  it.skipIf(!existsSync(PROMTOOL) && process.env.CI !== 'true')(
    "passes promtool's checks, and its unit tests: each alert fires for the series it is for and not for the others",
    () => {
      expect(execFileSync(PROMTOOL, ['check', 'rules', join(OPS, 'alerts.yaml')], { encoding: 'utf8' })).toContain(
        'SUCCESS: 11 rules found',
      );
      expect(execFileSync(PROMTOOL, ['test', 'rules', join(OPS, 'alerts.test.yaml')], { encoding: 'utf8' })).toContain(
        'SUCCESS',
      );
    },
  );

  it('lists every bad flag at once with exit 2', async () => {
    const bad = await runCli(['alert-rules', '--slo', 'scheduleLag < 1ms', '--objective', '99', '--window', '10ms']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error[FLAG_INVALID]: the alert rules' flags have 3 problems");
    expect(bad.stderr).toContain('command line: --slo[0]: the proxy exports no histogram of scheduleLag');
    expect(bad.stderr).toContain("command line: --objective: '99' is not a share strictly between 0 and 1");
    expect(bad.stderr).toContain("command line: --window: '10ms' is not a duration of 1 s or more");
  });
});

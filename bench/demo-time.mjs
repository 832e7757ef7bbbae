// `yardstick demo` end to end in its own process, from a fresh store: the wall time the demo must keep under two
// minutes on 2 cores (the build that `npm run demo` does first is not included), and its peak RSS.
import { existsSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './lib.mjs';

/** Wall time and peak memory of the demo, with what it measured. */
export async function demoTime() {
  const cwd = mkdtempSync(join(tmpdir(), 'ys-demo-'));
  const args = [process.execPath, CLI, '--store', join(cwd, 'store.db'), 'demo', '--json'];
  const timed = existsSync('/usr/bin/time');
  const started = performance.now();
  const result = spawnSync(timed ? '/usr/bin/time' : args[0], timed ? ['-f', 'maxrss_kb=%M', ...args] : args.slice(1), {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const wallMs = performance.now() - started;
  if (result.status !== 0) return { error: result.stderr.slice(-800) };
  const profile = JSON.parse(result.stdout);
  const rss = /maxrss_kb=(\d+)/.exec(result.stderr)?.[1];
  return {
    name: 'yardstick demo, end to end (after the build)',
    wallMs,
    peakRssMb: rss === undefined ? null : Number(rss) / 1024,
    runs: profile.runs.map((r) => ({
      kind: r.kind,
      target: r.target,
      accuracy: r.headline.metric?.value ?? null,
      p95LatencyMs: r.headline.p95LatencyMs,
      maxRequestsPerS: r.headline.maxRequestsPerS,
    })),
  };
}

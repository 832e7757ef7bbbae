import { cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ProfileJson } from '../src/runs/profile-json.js';
import type { EvalJson } from '../src/eval/eval-summary.js';
import { freshDir, runCli } from './helpers/cli.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** A checkout's layout in a fresh directory with no `../shared` beside it: the built CLI, examples and dependencies. */
function cloneLayout(): string {
  const root = join(freshDir(), 'yardstick');
  mkdirSync(root);
  for (const part of ['dist', 'examples', 'package.json'])
    cpSync(join(REPO, part), join(root, part), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

describe('yardstick demo', () => {
  it('trains, serves and measures the reference models offline, from a fresh layout', async () => {
    const root = cloneLayout();
    expect(existsSync(join(root, '..', 'shared'))).toBe(false);
    const cwd = freshDir();
    const result = await runCli(['demo', '--json'], { cwd, cli: join(root, 'dist', 'cli', 'main.js') });
    expect(result.code, result.stderr).toBe(0);
    const profile = JSON.parse(result.stdout) as ProfileJson;
    expect(profile.status).toBe('completed');
    expect(profile.models.map((m) => m.id).sort()).toEqual(['iris-forest', 'spam-knn', 'spam-logreg', 'spam-nb']);
    const evals = profile.runs.filter((r) => r.kind === 'eval');
    const loads = profile.runs.filter((r) => r.kind === 'bench');
    expect(evals.map((r) => r.target)).toEqual(['spam-nb', 'spam-logreg', 'spam-knn', 'iris-forest']);
    expect(loads.map((r) => r.target)).toEqual(['spam-nb', 'spam-logreg', 'spam-knn']);
    for (const run of evals) {
      // Real models on held-out data: far above the majority class (ham is ~69% of the corpus, each species a third of iris).
      expect(run.headline.metric?.value).toBeGreaterThan(0.85);
      expect(run.headline.metric?.ci).not.toBeNull();
      expect(run.headline.repeatAgreement).toBe(1);
      expect(run.headline.errorRate).toBe(0);
    }
    for (const run of loads) {
      expect(run.headline.maxRequestsPerS).toBeGreaterThan(5);
      expect(run.headline.errorRate).toBe(0);
    }
    // k-NN searches the training set for every message: it is the slowest filter by far.
    const [nb, logreg, knn] = loads;
    expect(knn?.headline.maxRequestsPerS).toBeLessThan(
      Math.min(nb?.headline.maxRequestsPerS ?? 0, logreg?.headline.maxRequestsPerS ?? 0) / 5,
    );
    const spamTradeoff = profile.tradeoffs.find((t) => t.suite === 'spam')?.tradeoff;
    expect(spamTradeoff?.cases).toBe(400);
    expect(spamTradeoff?.candidates.some((c) => c.pareto)).toBe(true);
    expect(spamTradeoff?.recommendation).not.toBeNull();
    // Every child run is an ordinary stored run, and the profile groups them.
    const shown = (
      JSON.parse((await runCli(['runs', 'show', evals[0]?.runId ?? '', '--json'], { cwd })).stdout) as {
        summary: EvalJson;
      }
    ).summary;
    expect(shown.n).toBe(400);
    expect(shown.repeats).toBe(2);
    const list = JSON.parse((await runCli(['runs', 'list', '--json'], { cwd })).stdout) as { kind: string }[];
    expect(list.filter((r) => r.kind === 'profile')).toHaveLength(1);
    expect(list).toHaveLength(8);
    expect(existsSync(join(cwd, 'reports', profile.runId, 'report.html'))).toBe(true);
    const report = await runCli(['runs', 'show', profile.runId], { cwd });
    expect(report.stdout).toContain('tradeoff on spam');
    expect(report.stdout).toContain('recommendation:');
  }, 240_000);
});

import { describe, expect, it } from 'vitest';
import { sampleRecord } from '../../test/helpers/store-contract.js';
import { SqliteStore } from '../store/sqlite.js';
import { RUN_KINDS, reportedRun, runKindOf, showRun } from './registry.js';
import { typedRun } from './run-record.js';

function runOf(kind: string, summary: unknown, id = 'r-1') {
  return sampleRecord({ id, kind, summary });
}

function envelope(kind: string, runId = 'r-1') {
  return { schemaVersion: 1, kind, runId };
}

describe('run kinds', () => {
  const kinds = RUN_KINDS.map((k) => k.kind);

  it('are each registered once, and every registered kind reads its own runs as typed records', () => {
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds).toEqual([
      'bench',
      'bench-repeats',
      'eval',
      'metrics',
      'drift',
      'data-check',
      'baseline',
      'profile',
      'proxy',
      'job-profile',
      'scale',
      'tune',
      'rating',
    ]);
    for (const kind of kinds) expect(typedRun(runOf(kind, envelope(kind)))?.kind).toBe(kind);
  });

  it('refuse a summary of another kind, another version or another run, rather than reading it as theirs', () => {
    for (const kind of kinds) {
      const other = kinds.find((k) => k !== kind) ?? '';
      expect(typedRun(runOf(kind, envelope(other)))).toBeNull();
      expect(typedRun(runOf(kind, { ...envelope(kind), schemaVersion: 2 }))).toBeNull();
      expect(typedRun(runOf(kind, envelope(kind, 'another-run')))).toBeNull();
      expect(typedRun(runOf(kind, 'text'))).toBeNull();
    }
  });

  it('read a run without a summary yet (running, or failed early) as its kind with a null summary', () => {
    const run = typedRun(runOf('eval', null));
    expect(run?.kind).toBe('eval');
    expect(run?.summary).toBeNull();
  });

  it('show a run with no summary, or of a kind this version does not know, as one line', () => {
    expect(showRun(sampleRecord({ status: 'running', summary: null }))).toMatch(
      /^run 20261127-120000-aaaa: bench, running, started .*, no summary \(it did not finish\)$/,
    );
    expect(runKindOf('canary')).toBeNull();
    expect(showRun(runOf('canary', envelope('canary')))).toMatch(/^run r-1: canary, completed/);
  });

  it('offer cases and CSV only where the kind has them', async () => {
    const store = new SqliteStore(':memory:');
    expect(await runKindOf('bench')?.cases(runOf('bench', envelope('bench')), store, 'json')).toBeNull();
    expect(runKindOf('drift')?.csv(runOf('drift', envelope('drift')))).toBeNull();
    expect(await runKindOf('eval')?.cases(runOf('eval', envelope('eval')), store, 'json')).toBe('[]\n');
  });

  it('report a run of an unknown kind, or one without a summary, with a note instead of a section', async () => {
    const store = new SqliteStore(':memory:');
    const unknown = await reportedRun(runOf('canary', envelope('canary')), store);
    expect(unknown.section).toContain('A canary run: `yardstick runs show r-1` prints it');
    const running = await reportedRun(sampleRecord({ status: 'running', summary: null }), store);
    expect(running.section).toContain('This run has no summary: it is running.');
    expect(running.isGroup).toBe(false);
  });
});

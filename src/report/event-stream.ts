import { accessSync, closeSync, constants, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { usageError, messageOf } from '../core/errors.js';
import type { LatencyStats } from '../core/types.js';
import type { EvalObserver, EvalProgress } from '../eval/runner.js';
import type { LiveProgress } from '../load/engine.js';
import type { BenchObserver } from '../runs/bench-run.js';
import type { RunRecordOf } from '../store/run-record.js';

/** Where a run's events go, one JSON document per line. */
export interface EventSink {
  write(event: Record<string, unknown>): void;
  close(): void;
}

/**
 * A file of JSON lines, written line by line as the run goes (each line whole when it lands, so `tail -f` and a
 * collector can follow it). The folder is checked at once; the file is created, replacing one there, only when the
 * first event comes, so a command refused for bad input leaves an earlier file as it was.
 */
export function jsonLinesFile(path: string): EventSink {
  try {
    accessSync(dirname(resolve(path)), constants.W_OK);
  } catch (error) {
    throw usageError(
      'EVENTS_UNWRITABLE',
      `cannot write the events file ${path}: ${messageOf(error)}`,
      'give a path in a folder that exists and that you may write to',
    );
  }
  let fd: number | null = null;
  return {
    write: (event) => {
      fd ??= openSync(path, 'w');
      writeSync(fd, `${JSON.stringify(event)}\n`);
    },
    close: () => {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

function stamp(): { at: string } {
  return { at: new Date().toISOString() };
}

function started<K extends string, S>(record: RunRecordOf<K, S>, requests: number | null): Record<string, unknown> {
  return { event: 'started', ...stamp(), runId: record.id, kind: record.kind, target: record.target, requests };
}

function finished<K extends string, S>(record: RunRecordOf<K, S>): Record<string, unknown> {
  return {
    event: 'finished',
    ...stamp(),
    runId: record.id,
    kind: record.kind,
    status: record.status,
    summary: record.summary,
  };
}

function latency(stats: LatencyStats | null): Record<string, number> | null {
  if (stats === null) return null;
  return { count: stats.count, mean: stats.mean, p50: stats.p50, p90: stats.p90, p95: stats.p95, p99: stats.p99 };
}

/** A load test's snapshot: requests so far and the latency percentiles of every completed one, in milliseconds. */
function benchProgress(runId: string, p: LiveProgress): Record<string, unknown> {
  const c = p.recorder.counts;
  return {
    event: 'progress',
    ...stamp(),
    runId,
    step: p.step,
    stepIndex: p.stepIndex,
    elapsedS: p.elapsedS,
    sent: p.sent,
    inFlight: p.inFlight,
    completed: c.completed,
    errored: c.errored,
    errors: Object.fromEntries(Object.entries(c.errors).filter(([, n]) => n > 0)),
    outputTokens: c.outputTokens,
    e2eMs: latency(p.recorder.histogram('e2e').statsMs()),
    ttftMs: latency(p.recorder.histogram('ttft').statsMs()),
    itlMs: latency(p.recorder.histogram('itl').statsMs()),
  };
}

/** Follows a load test: started, a snapshot at each progress report (every 0.5 s), finished with the summary. */
export function benchEvents(sink: EventSink): BenchObserver {
  let runId = '';
  return {
    started: (record, info) => {
      runId = record.id;
      sink.write(started(record, info.requests));
    },
    progress: (p) => sink.write(benchProgress(runId, p)),
    finished: (record) => sink.write(finished(record)),
  };
}

/** Follows an eval: started, its counts at most every `intervalMs` and when the last case is answered, finished. */
export function evalEvents(sink: EventSink, intervalMs = 500): EvalObserver {
  let runId = '';
  let lastAt = -Infinity;
  return {
    started: (record, info) => {
      runId = record.id;
      lastAt = -Infinity;
      sink.write(started(record, info.requests));
    },
    progress: (p: EvalProgress) => {
      const now = performance.now();
      if (now - lastAt < intervalMs && p.done < p.total) return;
      lastAt = now;
      sink.write({ event: 'progress', ...stamp(), runId, ...p });
    },
    finished: (record) => sink.write(finished(record)),
  };
}

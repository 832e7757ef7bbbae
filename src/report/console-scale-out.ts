import type { ScaleOutJson } from '../efficiency/bench-json.js';
import { renderTable } from './table.js';

/** The columns of the per-worker table, in the console and the HTML report alike. */
export const SCALE_OUT_HEADER = [
  'shard',
  'worker',
  'clock ±ms',
  'target /s',
  'achieved /s',
  'completed',
  'errored',
  'lag p99 ms',
];

function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined ? '—' : value.toFixed(digits);
}

/** One row per worker of a scale-out bench. */
export function scaleOutRows(scaleOut: ScaleOutJson): string[][] {
  return scaleOut.workers.map((w) => [
    String(w.shard),
    w.worker,
    fixed(w.clock.uncertaintyMs, 3),
    fixed(w.rate.targetPerS, 1),
    fixed(w.rate.achievedPerS, 1),
    String(w.requests.completed),
    String(w.requests.errored),
    fixed(w.scheduleLagMs?.p99, 3),
  ]);
}

/** The line that says where the load ran, and whether a worker was lost. */
export function scaleOutHeadline(scaleOut: ScaleOutJson): string {
  return `spread over ${scaleOut.workers.length} workers through ${scaleOut.queue}${scaleOut.partial ? ' — PARTIAL: a worker was lost' : ''}`;
}

/** Why each lost worker was given up. */
export function lostWorkerLines(scaleOut: ScaleOutJson): string[] {
  return scaleOut.workers.flatMap((w) => (w.lost === null ? [] : [`shard ${w.shard} lost: ${w.lost}`]));
}

/** Each worker's share of a scale-out bench, and the worker lost, when one was. */
export function scaleOutLines(scaleOut: ScaleOutJson): string[] {
  return [
    scaleOutHeadline(scaleOut),
    renderTable(SCALE_OUT_HEADER, scaleOutRows(scaleOut)),
    ...lostWorkerLines(scaleOut).map((line) => `  ${line}`),
  ];
}

import type { ScaleOutJson } from '../efficiency/bench-json.js';
import { renderTable } from './table.js';

const HEADER = ['shard', 'worker', 'clock ±ms', 'target /s', 'achieved /s', 'completed', 'errored', 'lag p99 ms'];

function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined ? '—' : value.toFixed(digits);
}

/** Each worker's share of a scale-out bench, and the worker lost, when one was. */
export function scaleOutLines(scaleOut: ScaleOutJson): string[] {
  const rows = scaleOut.workers.map((w) => [
    String(w.shard),
    w.worker,
    fixed(w.clock.uncertaintyMs, 3),
    fixed(w.rate.targetPerS, 1),
    fixed(w.rate.achievedPerS, 1),
    String(w.requests.completed),
    String(w.requests.errored),
    fixed(w.scheduleLagMs?.p99, 3),
  ]);
  return [
    `spread over ${scaleOut.workers.length} workers through ${scaleOut.queue}${scaleOut.partial ? ' — PARTIAL: a worker was lost' : ''}`,
    renderTable(HEADER, rows),
    ...scaleOut.workers.flatMap((w) => (w.lost === null ? [] : [`  shard ${w.shard} lost: ${w.lost}`])),
  ];
}

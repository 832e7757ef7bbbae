import type { RecorderState } from '../efficiency/recorder.js';
import type { MeasurementWindow } from '../efficiency/measurement-window.js';
import type { ShardSpec } from './shard.js';

function shiftedWindow(window: MeasurementWindow | null, offsetNs: number): MeasurementWindow | null {
  if (window === null || window.kind === 'count') return window;
  // An open-ended window (Infinity) stays open-ended.
  return { kind: 'time', startAt: window.startAt + offsetNs, endAt: window.endAt + offsetNs };
}

/** A step's spec in another process's monotonic clock: every instant moved by `offsetNs` (from clock-offset.ts). */
export function specOnClock(spec: ShardSpec, offsetNs: number): ShardSpec {
  return {
    ...spec,
    startAt: spec.startAt + offsetNs,
    stopSendingAt: spec.stopSendingAt === null ? null : spec.stopSendingAt + offsetNs,
    window: shiftedWindow(spec.window, offsetNs),
  };
}

/**
 * A recorder state measured on another process's clock, brought back to ours. Only the counts' time bounds are
 * instants; histograms hold durations, which no clock offset changes.
 */
export function stateOnOurClock(state: RecorderState, offsetNs: number): RecorderState {
  const { firstDueAt, lastEndedAt } = state.counts;
  return {
    ...state,
    counts: {
      ...state.counts,
      firstDueAt: firstDueAt === null ? null : firstDueAt - offsetNs,
      lastEndedAt: lastEndedAt === null ? null : lastEndedAt - offsetNs,
    },
  };
}

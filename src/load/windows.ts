import { NS_PER_MS } from '../core/clock.js';
import { usageError } from '../core/errors.js';
import type { MeasurementWindow } from '../efficiency/measurement-window.js';
import type { StepLimits } from './step-plan.js';

type Portion = StepLimits['warmup'];

/**
 * The measured window of a step; null when every request counts. With a duration, warm-up and cool-down are times (or shares of the duration)
 * measured from the step's start and end. With only a request count, shares cut the first and last requests;
 * a warm-up time still works, a cool-down time needs a duration to count back from.
 */
export function measurementWindow(limits: StepLimits, startAt: number): MeasurementWindow | null {
  const { warmup, cooldown, durationMs, maxRequests } = limits;
  // A duration-limited step is always measured over its duration, so the drain after the last send does not dilute rates.
  if (durationMs !== null) {
    const toNs = (portion: Portion): number =>
      (portion === null ? 0 : 'ms' in portion ? portion.ms : portion.fraction * durationMs) * NS_PER_MS;
    const startNs = toNs(warmup);
    const endNs = durationMs * NS_PER_MS - toNs(cooldown);
    if (endNs <= startNs)
      throw usageError(
        'WINDOW_EMPTY',
        'warm-up and cool-down leave nothing of the run to measure',
        'shorten them or lengthen the duration',
      );
    return { kind: 'time', startAt: startAt + startNs, endAt: startAt + endNs };
  }
  if (warmup === null && cooldown === null) return null;
  if (cooldown !== null && 'ms' in cooldown) {
    throw usageError(
      'COOLDOWN_NEEDS_DURATION',
      'a cool-down time needs a run duration to count back from',
      "set a duration, or give the cool-down as a share, e.g. '10%'",
    );
  }
  if (warmup !== null && 'ms' in warmup)
    return { kind: 'time', startAt: startAt + warmup.ms * NS_PER_MS, endAt: Infinity };
  const total = maxRequests ?? 0;
  const firstIndex = Math.round((warmup?.fraction ?? 0) * total);
  const endIndex = total - Math.round((cooldown?.fraction ?? 0) * total);
  if (endIndex <= firstIndex)
    throw usageError(
      'WINDOW_EMPTY',
      'warm-up and cool-down leave no requests to measure',
      'lower them or send more requests',
    );
  return { kind: 'count', firstIndex, endIndex };
}

/** The length of the measured window in ns: from its start (or when the first measured request was due) to its end (or the last measured response). */
export function windowDurationNs(
  window: MeasurementWindow | null,
  firstDueAt: number | null,
  lastEndedAt: number | null,
): number {
  if (firstDueAt === null || lastEndedAt === null) return 0;
  const start = window?.kind === 'time' ? Math.max(window.startAt, firstDueAt) : firstDueAt;
  const end = window?.kind === 'time' ? Math.min(window.endAt, lastEndedAt) : lastEndedAt;
  return Math.max(0, end - start);
}

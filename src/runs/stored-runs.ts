import type { RunRecordOf, StoredRun } from '../store/run-record.js';
import { runOfKind, summaryGuard } from '../store/stored-summary.js';
import type { BaselineJson } from './baseline-run.js';
import type { MetricsJson } from './metrics-run.js';
import type { ProfileJson } from './profile-json.js';
import type { JobProfileJson } from '../jobs/job-profile-json.js';
import type { ScaleJson } from '../jobs/scale-json.js';
import type { TuneJson } from '../tuning/tune-json.js';
import type { RatingJson } from '../rating/agreement-summary.js';

export type MetricsRunRecord = RunRecordOf<'metrics', MetricsJson>;
export type BaselineRunRecord = RunRecordOf<'baseline', BaselineJson>;
export type ProfileRunRecord = RunRecordOf<'profile', ProfileJson>;

export const isMetricsJson = summaryGuard<MetricsJson>('metrics');
export const isBaselineJson = summaryGuard<BaselineJson>('baseline');
export const isProfileJson = summaryGuard<ProfileJson>('profile');
export const isJobProfileJson = summaryGuard<JobProfileJson>('job-profile');
export type JobProfileRunRecord = RunRecordOf<'job-profile', JobProfileJson>;

/** The stored run as a job profile (`yardstick profile -- CMD`); null when it is another kind. */
export function jobProfileRunOf(stored: StoredRun): JobProfileRunRecord | null {
  return runOfKind(stored, 'job-profile', isJobProfileJson);
}

/** The stored run as a metrics run; null when it is another kind. */
export function metricsRunOf(stored: StoredRun): MetricsRunRecord | null {
  return runOfKind(stored, 'metrics', isMetricsJson);
}

/** The stored run as a baseline run; null when it is another kind. */
export function baselineRunOf(stored: StoredRun): BaselineRunRecord | null {
  return runOfKind(stored, 'baseline', isBaselineJson);
}

/** The stored run as a profile run; null when it is another kind. */
export function profileRunOf(stored: StoredRun): ProfileRunRecord | null {
  return runOfKind(stored, 'profile', isProfileJson);
}

export const isScaleJson = summaryGuard<ScaleJson>('scale');
export type ScaleRunRecord = RunRecordOf<'scale', ScaleJson>;

/** The stored run as a scaling study (`yardstick scale`); null when it is another kind. */
export function scaleRunOf(stored: StoredRun): ScaleRunRecord | null {
  return runOfKind(stored, 'scale', isScaleJson);
}

export const isTuneJson = summaryGuard<TuneJson>('tune');
export type TuneRunRecord = RunRecordOf<'tune', TuneJson>;

/** The stored run as a tuning study (`yardstick tune`); null when it is another kind. */
export function tuneRunOf(stored: StoredRun): TuneRunRecord | null {
  return runOfKind(stored, 'tune', isTuneJson);
}

export const isRatingJson = summaryGuard<RatingJson>('rating');
export type RatingRunRecord = RunRecordOf<'rating', RatingJson>;

/** The stored run as a rating task (`yardstick rate`); null when it is another kind. */
export function ratingRunOf(stored: StoredRun): RatingRunRecord | null {
  return runOfKind(stored, 'rating', isRatingJson);
}

import type { SloSearchJson } from '../efficiency/bench-json.js';
import type { EfficiencySummary } from '../efficiency/summary.js';
import { evaluateThresholds, parseThreshold, type Threshold } from '../efficiency/thresholds.js';
import type { ArrivalProcess } from './arrivals.js';
import type { StepPlan } from './step-plan.js';

/** The settings of a capacity search (the `slo-search` profile). */
export interface SloSearchSettings {
  /** Objectives every step must meet, in the threshold grammar: `p95(ttft) < 500ms`, `error_rate < 1%`. */
  objectives: string[];
  startRate: number;
  maxRate: number;
  /** Relative width at which bisection stops: (fail − pass) / pass. */
  tolerance: number;
  /** Search steps at most (the confirmation comes on top). */
  maxSteps: number;
  stepDurationMs: number;
  /** Length of the confirmation step at the rate found. */
  confirmDurationMs: number;
  stepArrivals: 'rate' | 'poisson';
  maxConcurrency: number;
  seed: number;
}

/** A step meets the search when it met every objective and the generator sent at least this share of its rate. */
const ACHIEVED_SHARE = 0.9;
const SEARCH = 'search';
const CONFIRM = 'confirm';

/** What a search found, as the run's JSON keeps it. */
export type SloSearchResult = SloSearchJson;

function parsed(objectives: readonly string[]): Threshold[] {
  return objectives.flatMap((expr) => {
    const result = parseThreshold(expr);
    return result.ok ? [result.value] : [];
  });
}

function judged(step: EfficiencySummary, objectives: readonly Threshold[]): { passed: boolean; failed: string[] } {
  const failed = evaluateThresholds(objectives, step)
    .filter((t) => !t.pass)
    .map((t) => t.expr);
  // A step stopped for over-saturation fails whatever it measured: its slowest requests were cut off unanswered.
  if (step.stoppedEarly !== undefined) failed.unshift(`stopped early: ${step.stoppedEarly}`);
  const target = step.rate.targetPerS ?? 0;
  if (target > 0 && step.rate.achievedPerS < ACHIEVED_SHARE * target)
    failed.push(`achieved ${step.rate.achievedPerS.toFixed(1)}/s of ${target}/s`);
  return { passed: failed.length === 0, failed };
}

/** The lowest rate that failed and the highest that passed below it, over every step (confirmations too). */
function bracket(
  steps: readonly EfficiencySummary[],
  objectives: readonly Threshold[],
): { pass: number | null; fail: number | null } {
  const rated = steps.map((step) => ({ rate: step.rate.targetPerS ?? 0, passed: judged(step, objectives).passed }));
  const failing = rated.filter((r) => !r.passed).map((r) => r.rate);
  const fail = failing.length === 0 ? null : Math.min(...failing);
  const passing = rated.filter((r) => r.passed && (fail === null || r.rate < fail)).map((r) => r.rate);
  return { pass: passing.length === 0 ? null : Math.max(...passing), fail };
}

function round(rate: number): number {
  return Number(rate.toPrecision(4));
}

function open(settings: SloSearchSettings, phase: string, rate: number, index: number): StepPlan {
  const arrivals: ArrivalProcess = { kind: settings.stepArrivals === 'rate' ? 'constant' : 'poisson' };
  return {
    kind: 'open',
    label: `${phase} ${rate}/s`,
    targetRatePerS: rate,
    arrivals,
    maxConcurrency: settings.maxConcurrency,
    seed: settings.seed + index,
    durationMs: phase === CONFIRM ? settings.confirmDurationMs : settings.stepDurationMs,
    stopWhenSaturated: true,
  };
}

/**
 * The next step of a capacity search: rates doubling from `startRate` until a step fails an objective (or
 * `maxRate`), then bisection between the highest passing and the lowest failing rate until they are within
 * `tolerance` (or `maxSteps`), then a confirmation step of full length at the highest passing rate; a failed
 * confirmation makes that rate the failing end and the search goes on below it. Null when done.
 */
export function nextSearchStep(settings: SloSearchSettings, done: readonly EfficiencySummary[]): StepPlan | null {
  const objectives = parsed(settings.objectives);
  const searches = done.filter((s) => s.label.startsWith(SEARCH));
  const confirms = done.filter((s) => s.label.startsWith(CONFIRM));
  const lastConfirm = confirms[confirms.length - 1];
  if (lastConfirm !== undefined && judged(lastConfirm, objectives).passed) return null;
  const { pass, fail } = bracket(done, objectives);
  const index = done.length;
  const budgetLeft = searches.length < settings.maxSteps;
  if (done.length === 0) return open(settings, SEARCH, round(settings.startRate), index);
  if (fail === null) {
    const next = round(Math.min(settings.maxRate, (pass ?? settings.startRate) * 2));
    if ((pass ?? 0) >= settings.maxRate || !budgetLeft)
      return pass === null ? null : open(settings, CONFIRM, pass, index);
    return open(settings, SEARCH, next, index);
  }
  const low = pass ?? 0;
  const narrow = low > 0 && (fail - low) / low <= settings.tolerance;
  if (!narrow && budgetLeft) {
    const middle = round(low === 0 ? fail / 2 : (low + fail) / 2);
    if (middle > low && middle < fail) return open(settings, SEARCH, middle, index);
  }
  if (pass === null || confirms.length >= 3) return null;
  return open(settings, CONFIRM, pass, index);
}

/** What a finished search found, from its steps. */
export function sloSearchResult(settings: SloSearchSettings, steps: readonly EfficiencySummary[]): SloSearchResult {
  const objectives = parsed(settings.objectives);
  const notes: string[] = [];
  const confirms = steps.filter((s) => s.label.startsWith(CONFIRM));
  const lastConfirm = confirms[confirms.length - 1];
  const confirmed = lastConfirm !== undefined && judged(lastConfirm, objectives).passed;
  const { pass, fail } = bracket(steps, objectives);
  if (pass === null) notes.push(`no rate from ${settings.startRate}/s down met every objective`);
  if (fail === null && pass !== null)
    notes.push(`every rate up to ${settings.maxRate}/s met the objectives: the capacity is at least that`);
  if (pass !== null && !confirmed) notes.push('the rate found was not confirmed by a full-length step');
  return {
    objectives: settings.objectives,
    capacityPerS: confirmed ? (lastConfirm?.rate.targetPerS ?? null) : null,
    interval: pass === null ? null : [pass, fail],
    confirmed,
    steps: steps.map((s) => {
      const verdict = judged(s, objectives);
      return {
        label: s.label,
        targetPerS: s.rate.targetPerS ?? 0,
        achievedPerS: s.rate.achievedPerS,
        passed: verdict.passed,
        failedObjectives: verdict.failed,
      };
    }),
    notes,
  };
}

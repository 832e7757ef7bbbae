import { renderProfile } from '../report/console-profile.js';
import { profileRunOf } from '../runs/stored-runs.js';
import type { StoredRun } from '../store/run-record.js';
import { defineRunKind } from './run-kind.js';

/** A run config's runs, grouped (`yardstick run`, `yardstick demo`). */
export const profileKind = defineRunKind({
  kind: 'profile',
  description: "a run config's eval and load runs, grouped, with each suite's tradeoff",
  read: profileRunOf,
  // A profile that failed keeps only the runs it finished; each is shown on its own.
  console: (run) => (run.status === 'failed' ? null : renderProfile(run.summary)),
  report: async (run, { store, reportChild }) => {
    const base = { isGroup: true, section: null, title: run.summary.name };
    if (run.status === 'failed') return base;
    const { profileRecommendations, profileSections } = await import('../report/html/profile-sections.js');
    const children = (
      await Promise.all(run.summary.runs.map(async (c) => (c.runId === null ? null : store.getRun(c.runId))))
    ).filter((r): r is StoredRun => r !== null);
    return {
      ...base,
      groupSections: profileSections(run.summary),
      recommendations: profileRecommendations(run.summary),
      children: await Promise.all(children.map(reportChild)),
    };
  },
});

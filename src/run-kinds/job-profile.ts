import { renderJobProfile } from '../report/console-job-profile.js';
import { jobProfileRunOf } from '../runs/stored-runs.js';
import { defineRunKind } from './run-kind.js';

/** A command's resource use and progress over its run (`yardstick profile -- CMD`). */
export const jobProfileKind = defineRunKind({
  kind: 'job-profile',
  description: "a command's CPU, memory, GPU and energy over time, idle stretches and progress",
  read: jobProfileRunOf,
  console: (run) => renderJobProfile(run.summary),
  report: async (run) => {
    const { jobProfileSection } = await import('../report/html/job-profile-section.js');
    return { section: jobProfileSection(run.summary) };
  },
});

import { hostname } from 'node:os';
import { redactedEnv } from '../config/redact.js';
import type { JobProfileJson } from '../jobs/job-profile-json.js';
import { profileJob, type JobOptions } from '../jobs/job-runner.js';
import { RunLifecycle } from '../store/run-lifecycle.js';
import type { Store } from '../store/store.js';

export interface JobProfileRunOptions extends JobOptions {
  store: Store;
  onStarted?: (runId: string) => void;
}

/**
 * Profiles a command as a stored run: recorded as running before the command starts, finished with its profile
 * (`completed` whatever the job's exit code, which the profile keeps; `interrupted` when yardstick was).
 */
export async function runJobProfile(options: JobProfileRunOptions): Promise<JobProfileJson> {
  const run = await RunLifecycle.start<'job-profile', JobProfileJson>(options.store, {
    kind: 'job-profile',
    config: {
      command: options.command,
      ...(options.env === undefined ? {} : { env: redactedEnv(options.env) }),
      progress: options.progress?.source ?? null,
      intervalMs: options.sampleIntervalMs,
    },
    target: {
      kind: 'command',
      name: options.command.join(' ').slice(0, 120),
      url: `process://${hostname()}`,
      model: null,
      streaming: false,
    },
  });
  options.onStarted?.(run.id);
  let profile: Omit<JobProfileJson, 'runId'>;
  try {
    profile = await profileJob(options);
  } catch (error) {
    await run.fail();
    throw error;
  }
  const summary: JobProfileJson = { ...profile, runId: run.id };
  await run.finish(options.signal.aborted ? 'interrupted' : 'completed', summary);
  return summary;
}

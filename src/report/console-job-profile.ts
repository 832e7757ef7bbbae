import type { JobProfileJson } from '../jobs/job-profile-json.js';
import { jobEnding, jobUsageLine, progressLines } from './job-profile-text.js';

/** A profiled job on the console: how it ended, what it used, where it idled, its progress and output's end. */
export function renderJobProfile(p: JobProfileJson): string {
  const out = [`run ${p.runId}: ${p.command.join(' ')} — ${jobEnding(p)}`, jobUsageLine(p)];
  if (p.idle.length > 0)
    out.push(
      `idle (under ${p.idleBelowPercent}% of one core): ${p.idle.map((s) => `${s.fromS.toFixed(1)}–${s.toS.toFixed(1)} s`).join(', ')}`,
    );
  out.push(...progressLines(p));
  if (p.exitCode !== 0 && p.stderrTail.length > 0)
    out.push('stderr (end):', ...p.stderrTail.slice(-10).map((l) => `  ${l}`));
  return out.join('\n');
}

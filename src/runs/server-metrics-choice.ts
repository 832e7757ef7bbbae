import { usageError } from '../core/errors.js';
import { defaultMetricsUrl, scrapeOnce } from '../resources/server-metrics.js';
import type { TargetDescription } from '../core/types.js';

/** Where a run scrapes the server's metrics, or why it does not. */
export type ServerMetricsChoice = { url: string } | { notMeasured: string };

const PROBE_TIMEOUT_MS = 2000;

/**
 * Picks the metrics URL of a run: `off` scrapes nothing; a URL the user gave must answer in Prometheus text format
 * (exit 2 when it does not); otherwise the target's own `/metrics` is used when it answers so, and the run says why
 * not when it does not.
 */
export async function chooseServerMetrics(
  setting: string | undefined,
  target: TargetDescription,
): Promise<ServerMetricsChoice> {
  if (setting === 'off') return { notMeasured: 'off (serverMetrics: off)' };
  if (setting !== undefined) {
    const answer = await scrapeOnce(setting, PROBE_TIMEOUT_MS);
    if (typeof answer === 'string')
      throw usageError(
        'SERVER_METRICS_UNAVAILABLE',
        `cannot read Prometheus metrics at ${setting}: ${answer}`,
        'start the server with its metrics on (llama-server --metrics; vLLM serves them by default), fix the URL, or leave --server-metrics out',
      );
    return { url: setting };
  }
  if (!/^https?:/.test(target.url)) return { notMeasured: `the ${target.kind} target has no HTTP server to ask` };
  const url = defaultMetricsUrl(target.url);
  const answer = await scrapeOnce(url, PROBE_TIMEOUT_MS);
  return typeof answer === 'string' ? { notMeasured: `${url}: ${answer}` } : { url };
}

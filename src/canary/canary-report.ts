import type { CanaryResult } from './canary-round.js';
import { regressionsOf } from './canary-metrics.js';

/** What a webhook receives after each canary run (JSON): the result, with the comparison cut to what changed. */
export function canaryPayload(result: CanaryResult): Record<string, unknown> {
  const change = result.change;
  return {
    kind: 'yardstick-canary',
    runId: result.runId,
    at: result.at,
    suite: result.suite,
    target: result.target,
    passed: result.passed,
    metrics: result.metrics,
    thresholds: result.thresholds,
    errored: result.errored,
    regressions: regressionsOf(result),
    change:
      change === null
        ? null
        : {
            previousRunId: change.a.runId,
            sharedCases: change.n,
            metrics: change.metrics,
            flipped: { regressions: change.flipped.regressions.length, fixes: change.flipped.fixes.length },
          },
  };
}

function fixed(value: number): string {
  return value.toFixed(3);
}

/** One line per canary run for the console. */
export function canaryLine(result: CanaryResult): string {
  const headline = result.metrics.accuracy ?? result.metrics.pass_rate;
  const name = result.metrics.accuracy === undefined ? 'pass_rate' : 'accuracy';
  const value =
    headline === undefined
      ? ''
      : `; ${name} ${fixed(headline.value)}${headline.ci === null ? '' : ` [${fixed(headline.ci[0])}, ${fixed(headline.ci[1])}]`}`;
  const failing = result.thresholds.filter((t) => !t.pass).map((t) => t.expr);
  const change = result.change;
  const significant = (change?.metrics ?? []).filter((m) => m.significant);
  const versus =
    change === null
      ? '; first run of this suite and target'
      : `; vs ${change.a.runId} on ${change.n} shared cases: ${
          significant.length === 0
            ? 'no significant change'
            : significant
                .map(
                  (m) =>
                    `${m.name} ${m.difference >= 0 ? '+' : ''}${fixed(m.difference)} (p ${m.pAdjusted.toPrecision(2)})`,
                )
                .join(', ')
        }`;
  return `canary ${result.runId} ${result.suite} → ${result.target}: ${result.passed ? 'passed' : 'FAILED'}${value}${
    failing.length > 0 ? `; failing: ${failing.join(', ')}` : ''
  }${result.errored > 0 ? `; ${result.errored} requests failed` : ''}${versus}`;
}

/** Posts the payload to a webhook; a failure is returned as a message, never thrown (the canary goes on). */
export async function notifyWebhook(url: string, payload: Record<string, unknown>): Promise<string | null> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return response.ok ? null : `the webhook ${url} answered HTTP ${response.status}`;
  } catch (error) {
    return `cannot reach the webhook ${url}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

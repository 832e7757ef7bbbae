import type { Exchange } from '../../src/core/types.js';
import type { Slo } from '../../src/efficiency/slo.js';
import { parseSlo } from '../../src/efficiency/thresholds.js';
import { startProxy, type RunningProxy } from '../../src/proxy/proxy-server.js';
import { loadClientTokenizer } from '../../src/tokens/client-tokenizer.js';

function slo(expr: string): Slo {
  const parsed = parseSlo(expr);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

/** A proxy on a free 127.0.0.1 port in front of `upstream`, with test-sized limits. */
export async function startTestProxy(
  upstream: string,
  options: { slos?: readonly string[]; maxConnections?: number; onExchange?: (exchange: Exchange) => void } = {},
): Promise<RunningProxy> {
  return startProxy({
    upstream: new URL(upstream),
    host: '127.0.0.1',
    port: 0,
    slos: (options.slos ?? []).map(slo),
    metricsPath: '/metrics',
    maxConnections: options.maxConnections ?? 16,
    timeoutMs: 60_000,
    tokenizer: await loadClientTokenizer(),
    ...(options.onExchange === undefined ? {} : { onExchange: options.onExchange }),
  });
}

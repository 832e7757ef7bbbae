import { readDriftWindows, readProxySamples } from '../proxy/proxy-sample.js';
import { proxyRunOf } from '../proxy/proxy-summary.js';
import { proxySamplesCsv, renderProxy } from '../report/console-proxy.js';
import { defineRunKind } from './run-kind.js';

/** A session of `yardstick proxy`: live traffic measured, and a sample of it kept. */
export const proxyKind = defineRunKind({
  kind: 'proxy',
  description: 'live traffic passed through yardstick proxy, by outcome, with the samples it kept',
  read: proxyRunOf,
  console: (run) => renderProxy(run.summary),
  cases: async (run, store, format) => {
    const samples = await readProxySamples(store, run.id);
    return format === 'json' ? `${JSON.stringify(samples, null, 2)}\n` : proxySamplesCsv(samples);
  },
  report: async (run, context) => {
    const { proxySection } = await import('../report/html/proxy-section.js');
    return { section: proxySection(run.summary, await readDriftWindows(context.store, run.id)) };
  },
});

import { metricsHeadline } from '../report/headlines.js';
import { renderMetrics } from '../report/console-metrics.js';
import { metricsRunOf } from '../runs/stored-runs.js';
import { defineRunKind } from './run-kind.js';

/** A predictions file's metrics (`yardstick metrics`). */
export const metricsKind = defineRunKind({
  kind: 'metrics',
  description: "a predictions file's metrics with intervals",
  read: metricsRunOf,
  console: (run) => renderMetrics(run.summary),
  headline: metricsHeadline,
  report: async (run) => {
    const { metricsSection } = await import('../report/html/metrics-section.js');
    return { section: metricsSection(run.summary) };
  },
});

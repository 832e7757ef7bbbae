import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MonitorMetrics } from '../src/prometheus/monitor-metrics.js';

const OPS = join(import.meta.dirname, '..', 'examples', 'ops');

function exported(): Set<string> {
  const registry = new Registry();
  new MonitorMetrics(registry);
  return new Set(registry.getMetricsAsArray().map((m) => m.name));
}

describe('the autoscaler examples', () => {
  it('KEDA scales on a replica gauge the proxy exports, one replica per unit', () => {
    const keda: unknown = parse(readFileSync(join(OPS, 'keda-scaledobject.yaml'), 'utf8'));
    expect(keda).toMatchObject({
      kind: 'ScaledObject',
      spec: { triggers: [{ type: 'prometheus', metadata: { threshold: '1', metricType: 'AverageValue' } }] },
    });
    const text = JSON.stringify(keda);
    const name = /yardstick_[a-z_]+/.exec(text)?.[0] ?? '';
    expect(exported()).toContain(name);
    expect(text).toContain('load=\\"peak\\"');
  });

  it('the HPA reads the same gauge as an external metric with an average value of one', () => {
    const hpa: unknown = parse(readFileSync(join(OPS, 'hpa-external-metric.yaml'), 'utf8'));
    expect(hpa).toMatchObject({
      kind: 'HorizontalPodAutoscaler',
      spec: {
        metrics: [
          {
            type: 'External',
            external: {
              metric: { name: 'yardstick_replicas_needed', selector: { matchLabels: { load: 'current' } } },
              target: { type: 'AverageValue', averageValue: '1' },
            },
          },
        ],
      },
    });
    expect(exported()).toContain('yardstick_replicas_needed');
  });
});

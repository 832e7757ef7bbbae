import { NS_PER_MS } from '../core/clock.js';
import { stepJson, type ScaleOutJson } from '../efficiency/bench-json.js';
import type { EfficiencySummary } from '../efficiency/summary.js';
import type { RemoteHostInfo } from '../load/shard-host.js';

/** Each worker's share of a scale-out bench (all steps merged), its clock and whether it was lost. */
export function scaleOutJson(
  origin: string,
  hosts: readonly RemoteHostInfo[],
  shards: readonly EfficiencySummary[],
): ScaleOutJson {
  return {
    queue: origin,
    partial: hosts.some((h) => h.lost !== null),
    workers: hosts.map((host, i) => {
      const share = shards[i];
      const json = share === undefined ? null : stepJson(share);
      return {
        shard: i + 1,
        worker: host.worker,
        clock: {
          offsetMs: host.clock.offsetNs / NS_PER_MS,
          uncertaintyMs: host.clock.uncertaintyNs / NS_PER_MS,
          wallOffsetMs: host.clock.wallOffsetMs,
        },
        rate: json?.rate ?? { targetPerS: null, achievedPerS: 0 },
        requests: {
          completed: json?.requests.completed ?? 0,
          errored: json?.requests.errored ?? 0,
          incomplete: json?.requests.incomplete ?? 0,
        },
        scheduleLagMs: json?.latencyMs.scheduleLag ?? null,
        lost: host.lost,
      };
    }),
  };
}

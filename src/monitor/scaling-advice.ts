/** What one replica sustains under the SLOs (from a capacity plan), and how much spare capacity to keep. */
export interface ReplicaCapacity {
  perReplicaPerS: number;
  /** Spare capacity on top of the load: 0.3 plans for 130% of it. */
  headroom: number;
  /** Where the capacity comes from: a sweep's run id, or the value given. */
  source: string;
  /** Replicas serving now, when known: advice to scale up or down needs it. */
  replicas: number | null;
}

export type ScalingAction = 'scale-up' | 'scale-down' | 'hold';

/** Replicas the live load needs under the SLOs, now and at the last hour's peak, and what to do about it. */
export interface ScalingAdvice {
  currentPerS: number;
  peakPerS: number;
  perReplicaPerS: number;
  headroom: number;
  source: string;
  /** ⌈rate × (1 + headroom) ÷ per-replica rate⌉, at least 1. */
  neededNow: number;
  neededAtPeak: number;
  replicas: number | null;
  /** The current rate over what the replicas sustain (null without a replica count). */
  utilization: number | null;
  /** null without a replica count. */
  action: ScalingAction | null;
  /** The share of the last minute's requests that completed within every SLO; null without requests. */
  goodShare: number | null;
  message: string;
}

/** Below this share of requests within the SLOs, advice that the replicas suffice comes with a caution. */
export const GOOD_SHARE_CAUTION = 0.95;

function needed(perS: number, capacity: ReplicaCapacity): number {
  return Math.max(1, Math.ceil((perS * (1 + capacity.headroom)) / capacity.perReplicaPerS));
}

function rate(perS: number): string {
  return `${perS.toFixed(perS < 10 ? 2 : 1)}/s`;
}

/**
 * Replicas for the live load: scale up as soon as the current rate needs more than run now; scale down only when even
 * the last hour's peak needs fewer (so a lull does not remove capacity the next burst needs); hold otherwise. When the
 * live requests miss their SLOs although the plan says the replicas suffice, the message says the plan may be wrong.
 */
export function scalingAdvice(
  currentPerS: number,
  peakPerS: number,
  capacity: ReplicaCapacity,
  goodShare: number | null = null,
): ScalingAdvice {
  const neededNow = needed(currentPerS, capacity);
  const neededAtPeak = needed(peakPerS, capacity);
  const replicas = capacity.replicas;
  const action: ScalingAction | null =
    replicas === null ? null : neededNow > replicas ? 'scale-up' : neededAtPeak < replicas ? 'scale-down' : 'hold';
  const load = `${rate(currentPerS)} now (peak ${rate(peakPerS)} in the last hour) at ${rate(capacity.perReplicaPerS)} per replica with ${Math.round(capacity.headroom * 100)}% headroom`;
  const message =
    replicas === null
      ? `${load}: ${neededNow} replica${neededNow === 1 ? '' : 's'} now, ${neededAtPeak} for the peak`
      : action === 'scale-up'
        ? `${load}: scale up from ${replicas} to ${neededNow}`
        : action === 'scale-down'
          ? `${load}: scale down from ${replicas} to ${neededAtPeak} (enough for the last hour's peak)`
          : `${load}: ${replicas === 1 ? '1 replica fits' : `${replicas} replicas fit`}`;
  const caution =
    goodShare !== null && goodShare < GOOD_SHARE_CAUTION && action !== 'scale-up'
      ? `; but only ${(goodShare * 100).toFixed(1)}% of the last minute's requests met the SLOs, so the capacity may be optimistic (sweep again with today's requests)`
      : '';
  return {
    currentPerS,
    peakPerS,
    perReplicaPerS: capacity.perReplicaPerS,
    headroom: capacity.headroom,
    source: capacity.source,
    neededNow,
    neededAtPeak,
    replicas,
    utilization: replicas === null ? null : currentPerS / (replicas * capacity.perReplicaPerS),
    action,
    goodShare,
    message: message + caution,
  };
}

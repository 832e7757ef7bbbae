/** One exchange of clock readings with another process: ours when asking and when answered, its own in between. */
export interface ClockProbe {
  /** Our monotonic clock (ns) when the question left, and when the answer came back. */
  sentAtNs: number;
  receivedAtNs: number;
  /** The other process's monotonic clock (ns) when it answered. */
  remoteAtNs: number;
  /** Wall clocks (ms since the epoch, sub-millisecond): ours at the midpoint of the round trip, and the other's. */
  localWallMs: number;
  remoteWallMs: number;
}

/** How another process's clocks relate to ours. */
export interface ClockOffset {
  /** Add to one of our monotonic instants to get the same instant on the other's monotonic clock. */
  offsetNs: number;
  /** The true offset lies within ± this: half the shortest round trip. */
  uncertaintyNs: number;
  roundTripNs: number;
  /** The other's wall clock minus ours (ms): how far apart the machines' clocks are set, within the same ± bound. */
  wallOffsetMs: number;
  probes: number;
}

/**
 * The offset by the probe with the shortest round trip (as NTP does): its answer was read somewhere between our two
 * readings, so the offset from their midpoint is wrong by at most half that round trip, and the shortest round trip
 * gives the tightest bound.
 */
export function clockOffsetOf(probes: readonly ClockProbe[]): ClockOffset {
  let best: ClockProbe | undefined;
  for (const probe of probes)
    if (best === undefined || probe.receivedAtNs - probe.sentAtNs < best.receivedAtNs - best.sentAtNs) best = probe;
  if (best === undefined) throw new Error('no clock probe to estimate an offset from');
  const roundTripNs = best.receivedAtNs - best.sentAtNs;
  return {
    offsetNs: best.remoteAtNs - (best.sentAtNs + best.receivedAtNs) / 2,
    uncertaintyNs: roundTripNs / 2,
    roundTripNs,
    wallOffsetMs: best.remoteWallMs - best.localWallMs,
    probes: probes.length,
  };
}

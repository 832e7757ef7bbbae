import hdr from 'hdr-histogram-js';
import { NS_PER_US } from '../core/clock.js';
import type { LatencyStats } from '../core/types.js';
import { RunningStats, type RunningStatsState } from './running-stats.js';

const SIGNIFICANT_DIGITS = 3;

/** Serialized form, small enough to post between worker threads. */
export interface LatencyHistogramState {
  encoded: string | null;
  stats: RunningStatsState;
}

/**
 * Latencies recorded in whole microseconds in an HDR histogram (3 significant digits, so any percentile
 * is within 0.1% of the true value), beside exact running mean/min/max/stddev. Mergeable without loss.
 */
export class LatencyHistogram {
  private readonly histogram = hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    autoResize: true,
    useWebAssembly: false,
  });
  private readonly running = new RunningStats();

  /** Records one duration given in nanoseconds; negative durations are recorded as 0. */
  recordNs(durationNs: number): void {
    const us = durationNs > 0 ? durationNs / NS_PER_US : 0;
    this.histogram.recordValue(Math.round(us));
    this.running.add(us);
  }

  get count(): number {
    return this.running.count;
  }

  /** Folds another histogram (possibly from another worker) into this one. */
  merge(state: LatencyHistogramState): void {
    if (state.encoded !== null) {
      const other = hdr.decodeFromCompressedBase64(state.encoded, 32, false);
      this.histogram.add(other);
      other.destroy();
    }
    this.running.merge(state.stats);
  }

  serialize(): LatencyHistogramState {
    return {
      encoded: this.running.count === 0 ? null : hdr.encodeIntoCompressedBase64(this.histogram),
      stats: this.running.snapshot(),
    };
  }

  /** The value of rank `rank` (from 1) among the recorded values, in milliseconds (within the histogram's 0.1%). */
  valueAtRankMs(rank: number): number {
    return this.histogram.getValueAtPercentile((100 * rank) / this.histogram.totalCount) / NS_PER_US;
  }

  /** Percentiles and moments in milliseconds; null when nothing was recorded. */
  statsMs(): LatencyStats | null {
    if (this.running.count === 0) return null;
    const at = (percentile: number): number => this.histogram.getValueAtPercentile(percentile) / NS_PER_US;
    return {
      count: this.running.count,
      mean: this.running.mean / NS_PER_US,
      min: this.running.min / NS_PER_US,
      max: this.running.max / NS_PER_US,
      stddev: this.running.stddev / NS_PER_US,
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
      p999: at(99.9),
    };
  }
}

/**
 * Exact count, mean, variance, min and max of a stream, mergeable across workers
 * (Welford's update and Chan et al.'s pairwise combination), so means are not quantized by histogram buckets.
 */
export interface RunningStatsState {
  count: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

export class RunningStats {
  private state: RunningStatsState = { count: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity };

  /** Adds one value. */
  add(value: number): void {
    const s = this.state;
    s.count += 1;
    const delta = value - s.mean;
    s.mean += delta / s.count;
    s.m2 += delta * (value - s.mean);
    if (value < s.min) s.min = value;
    if (value > s.max) s.max = value;
  }

  /** Folds another stream's statistics into this one. */
  merge(other: RunningStatsState): void {
    const a = this.state;
    if (other.count === 0) return;
    if (a.count === 0) {
      this.state = { ...other };
      return;
    }
    const count = a.count + other.count;
    const delta = other.mean - a.mean;
    a.mean += (delta * other.count) / count;
    a.m2 += other.m2 + (delta * delta * a.count * other.count) / count;
    a.count = count;
    a.min = Math.min(a.min, other.min);
    a.max = Math.max(a.max, other.max);
  }

  get count(): number {
    return this.state.count;
  }

  get mean(): number {
    return this.state.mean;
  }

  get min(): number {
    return this.state.min;
  }

  get max(): number {
    return this.state.max;
  }

  /** Population standard deviation (divides by n), as HDR histograms and most load tools report it. */
  get stddev(): number {
    return this.state.count === 0 ? 0 : Math.sqrt(this.state.m2 / this.state.count);
  }

  snapshot(): RunningStatsState {
    return { ...this.state };
  }
}

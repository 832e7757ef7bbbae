import { NS_PER_MS } from '../../core/clock.js';
import type { TargetRequest } from '../../core/types.js';
import { isEntry, traceLines } from './trace-entries.js';
import type { TraceEntry, TraceFormat } from './trace-formats.js';
import type { TracePrompts } from './trace-prompts.js';

/** A trace to replay, as a step plan carries it. Plain data: it crosses to worker threads. */
export interface TraceSpec {
  path: string;
  format: TraceFormat;
  /** Multiplies the trace's times: 2 replays it at half speed, 0.5 at double. */
  timeScale: number;
  /** Tokens per `hash_ids` block (Mooncake's traces: 512). */
  blockTokens: number;
}

/**
 * One shard's share of a trace replay (every `shardCount`-th request), streamed from the file: the arrivals are
 * the trace's times from `startAt`, scaled, and only the requests scheduled but not yet sent are held.
 */
export class TraceReplay {
  private readonly pending = new Map<number, TraceEntry>();

  constructor(
    private readonly spec: TraceSpec,
    private readonly prompts: TracePrompts,
  ) {}

  *arrivals(startAt: number, shardIndex: number, shardCount: number): Generator<[number, number]> {
    let first: number | null = null;
    let index = 0;
    for (const item of traceLines(this.spec.path, this.spec.format)) {
      // The trace was checked before the run (scanTrace); a line changed since is left out.
      if (!isEntry(item)) continue;
      first ??= item.atMs;
      const k = index;
      index += 1;
      if (k % shardCount !== shardIndex) continue;
      this.pending.set(k, item);
      yield [k, startAt + (item.atMs - first) * this.spec.timeScale * NS_PER_MS];
    }
  }

  /** The request of an arrival just yielded. */
  request(index: number): TargetRequest {
    const entry = this.pending.get(index);
    this.pending.delete(index);
    if (entry === undefined) throw new Error(`trace request ${index} was not scheduled`);
    return this.prompts.request(entry, index, this.spec.blockTokens);
  }
}

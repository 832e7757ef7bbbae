import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { monotonicNs, NS_PER_MS } from '../core/clock.js';
import { YardstickError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { clockOffsetOf, type ClockOffset, type ClockProbe } from '../load/clock-offset.js';
import {
  deserializeError,
  type RemoteHostInfo,
  type ShardHost,
  type ShardHostFactory,
  type ShardSetup,
} from '../load/shard-host.js';
import { redactedUrl } from '../store/store-url.js';
import { redisConnection } from './eval-queue.js';
import { RemoteShard } from './remote-shard.js';
import {
  BENCH_QUEUE,
  channelOf,
  CLOSED_MARK_S,
  closedKeyOf,
  encodeMessage,
  fromShardMessage,
  wallClockMs,
  type FromShard,
  type ShardJob,
  type ToShard,
} from './shard-messages.js';

export interface QueueShardsOptions {
  url: string;
  /** How long to wait for enough workers to take the shards and build them. */
  waitForWorkersMs: number;
  /** Refuse a worker whose clock offset is known no better than this (half the best round trip through Redis). */
  maxClockErrorMs: number;
  /** How often each worker sends what it has measured so far. */
  windowMs: number;
  /** Told of what a user should know but that does not stop the run (a loose clock bound). */
  onNotice: (message: string) => void;
}

/** Clock probes per worker: the shortest round trip of these bounds the offset. */
const CLOCK_PROBES = 16;
/** Above this, a worker's clock bound is worth a word: schedule lag is measured in fractions of it. */
const CLOCK_NOTICE_MS = 1;

/** A shard waiting for its worker: resolved by its hello and ready, and its clock probes' answers. */
interface Joining {
  worker: string | null;
  /** Measured once the worker has taken its shard. */
  clock: ClockOffset | null;
  hello: (() => void) | null;
  ready: { resolve: () => void; reject: (error: Error) => void } | null;
  pongs: Map<number, (pong: { monotonicNs: number; wallMs: number }) => void>;
  host: RemoteShard | null;
}

/**
 * The shards of a bench handed to `yardstick worker` processes through a BullMQ queue on Redis: one job per shard,
 * taken by one worker each; then each worker's clock is measured against ours, and steps, stops and measurements go
 * over Redis pub/sub (the setup, which may hold an API key, is never stored in Redis).
 */
export class QueueShards implements ShardHostFactory {
  readonly startDelayMs = 500;
  readonly origin: string;
  private readonly session = randomUUID();
  private readonly subscriber: Redis;
  private readonly publisher: Redis;
  private readonly queue: Queue;
  private readonly shards: Joining[] = [];

  constructor(private readonly options: QueueShardsOptions) {
    const connection = redisConnection(options.url);
    this.origin = redactedUrl(options.url);
    this.subscriber = new Redis(options.url, { maxRetriesPerRequest: 3 });
    this.publisher = new Redis(options.url, { maxRetriesPerRequest: 3 });
    this.queue = new Queue(BENCH_QUEUE, { connection });
    this.subscriber.on('messageBuffer', (_channel: Buffer, buffer: Buffer) => {
      const message = fromShardMessage(buffer);
      if (message !== null) this.receive(message);
    });
  }

  /** A message that cannot go out is dropped: with Redis gone, the workers fall silent too and are given up as lost. */
  private send(shard: number, message: ToShard): void {
    void this.publisher.publish(channelOf(this.session, shard), encodeMessage(message)).catch(() => undefined);
  }

  private receive(message: FromShard): void {
    const joining = this.shards[message.shard];
    if (joining === undefined) return;
    if (joining.host !== null) return joining.host.receive(message);
    if (message.type === 'hello' && joining.worker === null) {
      joining.worker = message.worker;
      joining.hello?.();
    } else if (message.type === 'ready') joining.ready?.resolve();
    else if (message.type === 'failed') joining.ready?.reject(deserializeError(message.error));
    else if (message.type === 'pong')
      joining.pongs.get(message.id)?.({ monotonicNs: message.monotonicNs, wallMs: message.wallMs });
  }

  /**
   * Hands out `count` shard jobs, waits until as many workers have taken one and measures each one's clock; throws
   * WORKERS_MISSING after `waitForWorkersMs`, or CLOCK_UNCERTAIN (both exit 4). Called before the run is recorded, so
   * a load that cannot start leaves no failed run behind; `close()`, which the caller owes whatever happens, withdraws
   * the jobs and lets the workers go.
   */
  async gather(count: number): Promise<void> {
    await this.subscriber.subscribe(channelOf(this.session, 'coordinator'));
    const hellos = Array.from({ length: count }, (_, shard) => {
      const joining: Joining = { worker: null, clock: null, hello: null, ready: null, pongs: new Map(), host: null };
      this.shards[shard] = joining;
      return new Promise<void>((resolve) => (joining.hello = resolve));
    });
    const jobs: {
      name: string;
      data: ShardJob;
      opts: { jobId: string; attempts: number; removeOnComplete: boolean; removeOnFail: number };
    }[] = Array.from({ length: count }, (_, shard) => ({
      name: 'shard',
      data: { session: this.session, shard, windowMs: this.options.windowMs },
      opts: { jobId: `${this.session}-${shard}`, attempts: 1, removeOnComplete: true, removeOnFail: 100 },
    }));
    await this.queue.addBulk(jobs);
    await this.within(Promise.all(hellos), () => this.missingWorkers(count));
    for (const [shard, joining] of this.shards.entries()) {
      joining.clock = await this.probeClock(shard, joining);
      this.checkClock(shard, joining.worker ?? '?', joining.clock);
    }
  }

  /** Waits for `work`, or throws `late()` after `waitForWorkersMs`. */
  private async within(work: Promise<unknown>, late: () => Error): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(late()), this.options.waitForWorkersMs);
    });
    try {
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends the gathered workers the shards' setup and waits until each has built its shard. */
  async create(setup: ShardSetup, count: number): Promise<ShardHost[]> {
    if (count !== this.shards.length)
      throw new Error(`${this.shards.length} workers were gathered for a load of ${count} shards`);
    const ready = this.shards.map(
      (joining) => new Promise<void>((resolve, reject) => (joining.ready = { resolve, reject })),
    );
    for (let shard = 0; shard < count; shard += 1) this.send(shard, { type: 'setup', setup });
    await this.within(
      Promise.all(ready),
      () =>
        new YardstickError({
          code: 'WORKER_SILENT',
          message: `not every worker had built its shard within ${(this.options.waitForWorkersMs / 1000).toFixed(0)} s`,
          hint: 'check the workers still run (their logs), or allow longer with --worker-wait',
          exitCode: ExitCode.targetUnreachable,
        }),
    );
    const hosts: RemoteShard[] = [];
    for (const [shard, joining] of this.shards.entries()) {
      const { clock } = joining;
      const worker = joining.worker ?? '?';
      if (clock === null) throw new Error(`worker ${worker}'s clock was not measured`);
      const host = new RemoteShard(
        (message) => this.send(shard, message),
        worker,
        clock,
        Math.max(5000, 5 * this.options.windowMs),
      );
      joining.host = host;
      hosts.push(host);
    }
    return hosts;
  }

  private missingWorkers(count: number): YardstickError {
    const joined = this.shards.filter((s) => s.worker !== null).length;
    return new YardstickError({
      code: 'WORKERS_MISSING',
      message: `${joined} of ${count} workers took a shard of the load on ${this.origin} within ${(this.options.waitForWorkersMs / 1000).toFixed(0)} s`,
      hint: `start ${count - joined} more: yardstick worker --queue ${this.origin} (one per process; each serves one shard at a time)`,
      exitCode: ExitCode.targetUnreachable,
    });
  }

  private async probeClock(shard: number, joining: Joining): Promise<ClockOffset> {
    const probes: ClockProbe[] = [];
    for (let id = 0; id < CLOCK_PROBES; id += 1) {
      const sentAtNs = monotonicNs();
      const sentWallMs = wallClockMs();
      const pong = await new Promise<{ monotonicNs: number; wallMs: number } | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), 2000);
        joining.pongs.set(id, (answer) => {
          clearTimeout(timer);
          resolve(answer);
        });
        this.send(shard, { type: 'ping', id });
      });
      const receivedAtNs = monotonicNs();
      joining.pongs.delete(id);
      if (pong === null) continue;
      probes.push({
        sentAtNs,
        receivedAtNs,
        remoteAtNs: pong.monotonicNs,
        localWallMs: (sentWallMs + wallClockMs()) / 2,
        remoteWallMs: pong.wallMs,
      });
    }
    if (probes.length === 0)
      throw new YardstickError({
        code: 'WORKER_SILENT',
        message: `worker ${joining.worker ?? '?'} took shard ${shard + 1} but answered none of ${CLOCK_PROBES} clock probes`,
        hint: 'check that the worker still runs and reaches the same Redis',
        exitCode: ExitCode.targetUnreachable,
      });
    return clockOffsetOf(probes);
  }

  private checkClock(shard: number, worker: string, clock: ClockOffset): void {
    const errorMs = clock.uncertaintyNs / NS_PER_MS;
    if (errorMs > this.options.maxClockErrorMs) {
      throw new YardstickError({
        code: 'CLOCK_UNCERTAIN',
        message: `the clock of worker ${worker} (shard ${shard + 1}) is known only to ±${errorMs.toFixed(2)} ms (its best round trip through Redis took ${(clock.roundTripNs / NS_PER_MS).toFixed(2)} ms), above --max-clock-error ${this.options.maxClockErrorMs} ms`,
        hint: 'run Redis close to the workers and the coordinator, or allow more with --max-clock-error',
        exitCode: ExitCode.targetUnreachable,
      });
    }
    if (errorMs > CLOCK_NOTICE_MS)
      this.options.onNotice(
        `worker ${worker}: start instants are known to ±${errorMs.toFixed(2)} ms (round trip through Redis ${(clock.roundTripNs / NS_PER_MS).toFixed(2)} ms)`,
      );
  }

  hostsInfo(): RemoteHostInfo[] {
    return this.shards.flatMap((s) =>
      s.host === null ? [] : [{ worker: s.host.worker, clock: s.host.clock, lost: s.host.lost }],
    );
  }

  /**
   * Takes back the shards no worker took, releases every worker that took one (those gathered for a run that then
   * never started too), and closes the connections.
   */
  async close(): Promise<void> {
    // Withdrawn before any worker of this session is let go, so none of them takes a shard nobody will run; a job
    // another worker has just taken cannot be removed, and that worker finds the closed mark instead.
    for (let shard = 0; shard < this.shards.length; shard += 1)
      await this.queue.remove(`${this.session}-${shard}`).catch(() => 0);
    await this.publisher.set(closedKeyOf(this.session), '1', 'EX', CLOSED_MARK_S).catch(() => undefined);
    for (let shard = 0; shard < this.shards.length; shard += 1) this.send(shard, { type: 'close' });
    this.subscriber.disconnect();
    await this.queue.close();
    // The last messages (the shards' close) go out before the connection does.
    await this.publisher.quit().catch(() => undefined);
  }
}

import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisServerBinary, startRedis, type RunningRedis } from '../../test/helpers/redis.js';
import { until } from '../../test/helpers/until.js';
import { startBenchWorker } from './bench-worker.js';
import { redisConnection } from './eval-queue.js';
import { QueueShards } from './queue-shards.js';
import { BENCH_QUEUE, CLOSED_MARK_S, closedKeyOf, type ShardJob } from './shard-messages.js';

const redisBin = redisServerBinary();
// CI installs redis-server (.ci/run) and must run these; elsewhere they run when it is there.
if (redisBin === null && process.env.CI === 'true') throw new Error('Redis is not installed (CI must run this test)');

let redis: RunningRedis;

beforeAll(async () => {
  if (redisBin !== null) redis = await startRedis(redisBin);
}, 30_000);

afterAll(async () => {
  await redis?.stop();
});

describe.skipIf(redisBin === null)('a bench worker', () => {
  it('lets go at once of a shard taken after its run closed, and is free for the next run', async () => {
    const lines: string[] = [];
    const worker = startBenchWorker({ url: redis.url, onJob: (line) => lines.push(line) });
    const redisClient = new Redis(redis.url);
    const queue = new Queue(BENCH_QUEUE, { connection: redisConnection(redis.url) });
    try {
      // A coordinator that closed while its job still waited: the close it sent over pub/sub reached nobody.
      await redisClient.set(closedKeyOf('gone'), '1', 'EX', CLOSED_MARK_S);
      const late: ShardJob = { session: 'gone', shard: 0, windowMs: 1000 };
      await queue.add('shard', late, { jobId: 'gone-0', attempts: 1, removeOnComplete: true });
      await until(
        'the late shard to be let go',
        () => lines.some((l) => l.includes('after its run had closed')),
        10_000,
        20,
      );
      expect(lines.some((l) => l.includes('serving shard'))).toBe(false);

      // The next run finds it free (before, it waited two minutes for the closed coordinator).
      const next = new QueueShards({
        url: redis.url,
        waitForWorkersMs: 5000,
        maxClockErrorMs: 5,
        windowMs: 1000,
        onNotice: () => undefined,
      });
      try {
        await next.gather(1);
      } finally {
        await next.close();
      }
      expect(lines.filter((l) => l.includes('serving shard'))).toHaveLength(1);
    } finally {
      await queue.close();
      redisClient.disconnect();
      await worker.close();
    }
  }, 30_000);
});

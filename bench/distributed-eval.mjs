// An eval spread over worker processes (`yardstick worker`, BullMQ on a local redis-server) against a local server that
// answers at once (serve-sim with no delays), with 1, 2 and 4 workers, beside the same eval run in one process; the
// store is one SQLite file every process on this machine shares. The coordinator's overhead per case is the
// one-worker run's wall time over the local run's, per case.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, startServer, yardstickEval } from './lib.mjs';
import { startRedis, startWorker } from './redis-workers.mjs';

const CASES = 4000;
const CONCURRENCY = 16;
const BATCH = 100;

function evalOnce(suite, store, extra) {
  return yardstickEval(suite, store, CONCURRENCY, extra);
}

export async function distributedEval() {
  const dir = mkdtempSync(join(tmpdir(), 'ys-bench-dist-'));
  const rows = Array.from({ length: CASES }, (_, i) => ({
    id: `c${i}`,
    text: `Review number ${i}: it was ${i % 3 === 0 ? 'great' : 'dull'}.`,
    expected: i % 3 === 0 ? 'positive' : 'negative',
  }));
  writeFileSync(join(dir, 'cases.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
  const sim = await startServer(process.execPath, [CLI, 'serve-sim', '--port', '0', '--ttft', '0ms', '--itl', '0ms']);
  const redis = await startRedis();
  const suite = join(dir, 'suite.yaml');
  writeFileSync(
    suite,
    `name: throughput\ndataset: cases.jsonl\nprompt:\n  text: "Review: {{text}}\\nSentiment:"\n  maxTokens: 2\ntargets:\n  - kind: openai-chat\n    baseUrl: ${sim.first}\n    model: sim\nscorers:\n  - type: choice\n    choices: [positive, negative]\n`,
  );
  const store = join(dir, 'store.db');
  try {
    await evalOnce(suite, store, []); // warm the server and the store up
    const local = await evalOnce(suite, store, []);
    const spread = {};
    for (const workers of [1, 2, 4]) {
      const started = await Promise.all(Array.from({ length: workers }, () => startWorker(redis.url, store)));
      const t0 = performance.now();
      const summary = await evalOnce(suite, store, ['--queue', redis.url, '--batch', String(BATCH)]);
      const wallMs = performance.now() - t0;
      await Promise.all(started.map((w) => w.stop()));
      spread[workers] = {
        answered: summary.cases.answered,
        casesPerS: summary.throughput.casesPerS,
        wallMs,
        sameAccuracy: summary.metrics.accuracy?.value === local.metrics.accuracy?.value,
      };
    }
    const localMs = local.throughput.durationS * 1000;
    const oneWorkerMs = (spread[1].answered / spread[1].casesPerS) * 1000;
    return {
      name: `eval over workers: ${CASES} cases, batches of ${BATCH}, concurrency ${CONCURRENCY} per process, instant local server, one SQLite store`,
      localCasesPerS: local.throughput.casesPerS,
      workers: spread,
      coordinatorOverheadPerCaseMs: (oneWorkerMs - localMs) / CASES,
      ratioOneWorkerToLocal: oneWorkerMs / localMs,
    };
  } finally {
    redis.stop();
    await sim.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await distributedEval(), null, 2));

// yardstick as a library: an eval of a model of your own, a load test of a simulated server, the stored runs read
// back with their types, and the metrics and intervals on their own. Only the package's entry points are imported.
//
//   npm run build && npx tsc -p examples/library && node examples/library/dist/evaluate-and-load.js
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionTarget, runEval, type TargetRequest } from 'yardstick/eval';
import { runBench, startSimulator } from 'yardstick/load';
import { accuracy, confusionOf } from 'yardstick/metrics';
import { wilsonInterval } from 'yardstick/stats';
import { readRun, SqliteStore } from 'yardstick/store';

const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'yardstick-library-')), 'runs.db'));

// 1. A suite given as an object (what a suite's YAML holds), answered by a function: a keyword classifier.
const reviews = [
  { text: 'A wonderful, moving film', expected: 'positive' },
  { text: 'Dull and far too long', expected: 'negative' },
  { text: 'I loved every minute', expected: 'positive' },
  { text: 'A boring mess', expected: 'negative' },
  { text: 'Wonderful acting, loved it', expected: 'positive' },
  { text: 'Too long and dull', expected: 'negative' },
];
const keywords = functionTarget({
  name: 'keywords',
  answer: (request: TargetRequest) => (/wonderful|loved/i.test(request.prompt) ? 'positive' : 'negative'),
});
const evaluated = await runEval({
  suite: {
    name: 'sentiment',
    cases: reviews,
    prompt: { text: 'Review: {{text}}\nSentiment:' },
    scorers: [{ type: 'choice', choices: ['positive', 'negative'] }],
    thresholds: ['accuracy >= 0.8'],
  },
  target: keywords,
  store,
});
const acc = evaluated.summary.metrics.accuracy;
console.log(
  `eval ${evaluated.runId}: accuracy ${acc?.value} [${acc?.ci?.map((x) => x.toFixed(3)).join(', ')}] over ${acc?.n} cases`,
);
console.log(`thresholds ${evaluated.passed ? 'passed' : 'failed'}`);

// 2. A load test of a simulated server whose first token comes after 20 ms, then one every 5 ms.
const simulator = await startSimulator({ port: 0, ttftMs: 20, itlMs: 5 });
try {
  const bench = await runBench({
    config: {
      target: { kind: 'openai-chat', baseUrl: `${simulator.url}/v1`, model: 'simulated' },
      load: { profile: 'rate', ratePerS: 20, duration: '2s' },
      input: { kind: 'synthetic', inputTokens: 32, outputTokens: 8 },
      thresholds: ['error_rate < 1%'],
    },
    store,
  });
  const ttft = bench.summary.latencyMs.ttft;
  console.log(
    `bench ${bench.runId}: ${bench.summary.requests.completed} requests, ttft p50 ${ttft?.p50.toFixed(1)} ms`,
  );

  // 3. The same load test tool on the keyword classifier itself: the config then names no target.
  const own = await runBench({
    config: { load: { profile: 'concurrency', concurrency: 4, requests: 50 } },
    target: keywords,
    store,
  });
  console.log(`bench of keywords: ${own.summary.requests.completed} requests, ${own.summary.requests.errored} errors`);

  // 4. Stored runs read back as their kinds: narrowing on `kind` types the summary.
  for (const id of [evaluated.runId, bench.runId]) {
    const run = await readRun(store, id);
    if (run?.kind === 'eval') console.log(`stored eval: suite ${run.summary?.suite}, ${run.summary?.n} cases`);
    if (run?.kind === 'bench')
      console.log(`stored bench: ${run.summary?.requests.completed} requests, status ${run.status}`);
  }
} finally {
  await simulator.close();
  await store.close();
}

// 5. Metrics and intervals on their own.
const predicted = evaluated.results.map((r) => r.label ?? '');
const expected = evaluated.results.map((r) => r.expectedLabel ?? '');
const correct = predicted.filter((p, i) => p === expected[i]).length;
const interval = wilsonInterval(correct, predicted.length);
console.log(
  `metrics: accuracy ${accuracy(confusionOf(expected, predicted))}, Wilson [${interval.low.toFixed(3)}, ${interval.high.toFixed(3)}]`,
);

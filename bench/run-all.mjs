// Runs the benchmarks (all, or the one named as the argument) and writes bench/results/latest.json, keeping the
// latest result of each benchmark; docs/benchmarks.md records the numbers.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { evalThroughput } from './eval-throughput.mjs';
import { mmluBenchmark } from './mmlu-benchmark.mjs';
import { driftSpeed } from './drift-speed.mjs';
import { dataCheckSpeed } from './data-check-speed.mjs';
import { generatorCapacity } from './generator-capacity.mjs';
import { cpuPerRequest } from './cpu-per-request.mjs';
import { machine } from './lib.mjs';
import { memory } from './memory.mjs';
import { metricsSpeed } from './metrics-speed.mjs';
import { metricsCommand } from './metrics-command.mjs';
import { openLoop } from './open-loop.mjs';
import { referenceModels } from './reference-models.mjs';
import { referenceTtft } from './reference-ttft.mjs';
import { timingAccuracy } from './timing-accuracy.mjs';
import { demoTime } from './demo-time.mjs';
import { llamaServerTiming } from './llama-server-timing.mjs';
import { proxyCpuBudget } from './proxy-cpu-budget.mjs';
import { proxyMemoryParts } from './proxy-memory-parts.mjs';
import { proxyOverhead } from './proxy-overhead.mjs';
import { proxySoak } from './proxy-soak.mjs';
import { driftWindowTime } from './drift-window.mjs';
import { workloads } from './workloads.mjs';
import { distributedEval } from './distributed-eval.mjs';
import { distributedBench } from './distributed-bench.mjs';

const benchmarks = {
  'generator-capacity': generatorCapacity,
  'cpu-per-request': cpuPerRequest,
  'open-loop': openLoop,
  'timing-accuracy': timingAccuracy,
  'reference-ttft': referenceTtft,
  memory,
  'metrics-speed': metricsSpeed,
  'metrics-command': metricsCommand,
  'eval-throughput': evalThroughput,
  'mmlu-benchmark': mmluBenchmark,
  'drift-speed': driftSpeed,
  'data-check-speed': dataCheckSpeed,
  'reference-models': referenceModels,
  'demo-time': demoTime,
  'llama-server-timing': llamaServerTiming,
  'proxy-overhead': proxyOverhead,
  'proxy-cpu-budget': proxyCpuBudget,
  'proxy-soak': proxySoak,
  'proxy-memory-parts': proxyMemoryParts,
  'drift-window': driftWindowTime,
  workloads,
  'distributed-eval': distributedEval,
  'distributed-bench': distributedBench,
};
const only = process.argv[2];
if (only !== undefined && !(only in benchmarks)) {
  console.error(`unknown benchmark '${only}'; known: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}
const file = new URL('./results/latest.json', import.meta.url);
const previous = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { results: {} };
const results = { ...(Array.isArray(previous.results) ? {} : previous.results) };
for (const [name, run] of Object.entries(benchmarks)) {
  if (only !== undefined && only !== name) continue;
  process.stderr.write(`running ${name}…\n`);
  const result = { machine: machine(), date: new Date().toISOString(), result: await run() };
  results[name] = result;
  process.stderr.write(`${JSON.stringify(result, null, 2)}\n`);
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(file, `${JSON.stringify({ results }, null, 2)}\n`);
console.log(JSON.stringify({ results }, null, 2));

// Runs every benchmark in turn and writes bench/results/latest.json; docs/benchmarks.md records the numbers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { generatorCapacity } from './generator-capacity.mjs';
import { machine } from './lib.mjs';
import { memory } from './memory.mjs';
import { openLoop } from './open-loop.mjs';
import { referenceTtft } from './reference-ttft.mjs';
import { timingAccuracy } from './timing-accuracy.mjs';

const only = process.argv[2];
const benchmarks = { 'generator-capacity': generatorCapacity, 'open-loop': openLoop, 'timing-accuracy': timingAccuracy, 'reference-ttft': referenceTtft, memory };
const results = { machine: machine(), date: new Date().toISOString(), results: [] };
for (const [name, run] of Object.entries(benchmarks)) {
  if (only !== undefined && only !== name) continue;
  process.stderr.write(`running ${name}…\n`);
  const result = await run();
  results.results.push(...(Array.isArray(result) ? result : [result]));
  process.stderr.write(`${JSON.stringify(result, null, 2)}\n`);
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));

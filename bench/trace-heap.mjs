// Reads and builds every request of a trace (node --expose-gc trace-heap.mjs TRACE) and prints the heap after a
// collection every 100,000 requests: a replay's memory must not grow with its trace.
import { TracePrompts } from '../dist/load/trace/trace-prompts.js';
import { TraceReplay } from '../dist/load/trace/trace-replay.js';
import { WORDS } from '../dist/load/inputs/synthetic.js';

const vocabulary = { words: WORDS, tokenizer: { source: 'client', name: 'every word' }, exactLengths: true };
const replay = new TraceReplay(
  { path: process.argv[2], format: 'mooncake', timeScale: 1, blockTokens: 32 },
  new TracePrompts(vocabulary, false),
);
const heapMb = [];
let requests = 0;
for (const [index] of replay.arrivals(0, 0, 1)) {
  replay.request(index);
  requests += 1;
  if (requests % 100_000 === 0) {
    globalThis.gc();
    heapMb.push(Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10);
  }
}
console.log(JSON.stringify({ requests, heapMbEvery100k: heapMb }));

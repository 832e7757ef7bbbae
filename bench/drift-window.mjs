// The drift monitor's work when a window closes: a window of sampled requests (a prompt text, max_tokens, a model
// name, output tokens) compared with a reference of the same size, drift tests plus the stream's data-quality checks,
// as `yardstick proxy --reference` runs them on its own thread. Timed at 1,000 and 10,000 rows (the default
// --window-max-rows), five repeats each; the median is the pause the proxy's traffic sees at that moment.
import { performance } from 'node:perf_hooks';
import { driftWindow } from '../dist/monitor/drift-window.js';
import { tableOfRows } from '../dist/data/table-of-rows.js';
import { defaultComparison } from '../dist/drift/compare-tables.js';

const WORDS = 'the a model prompt answer question summary report data table value user system token reply'.split(' ');

function rows(n, seed, shift) {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: n }, () => {
    const length = 5 + Math.floor(random() * (20 + shift));
    const prompt = Array.from({ length }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
    return {
      prompt,
      max_tokens: [64, 128, 256][Math.floor(random() * 3)],
      model: random() < 0.8 ? 'small' : 'large',
      output_tokens: Math.round(20 + random() * 100 + shift),
    };
  });
}

const settings = {
  minRows: 30,
  types: {},
  comparison: defaultComparison(),
};

export async function driftWindowTime() {
  const results = [];
  for (const n of [1000, 10000]) {
    const reference = tableOfRows('reference', rows(n, 1, 0));
    const current = rows(n, 2, 5);
    const times = [];
    let drifted = null;
    for (let k = 0; k < 5; k += 1) {
      const started = performance.now();
      const window = driftWindow(
        reference,
        { index: k, start: new Date(0), end: new Date(1), rows: current, seenRows: n },
        settings,
      );
      times.push(performance.now() - started);
      drifted = window.columns.filter((c) => c.drifted).map((c) => c.name);
    }
    times.sort((a, b) => a - b);
    results.push({
      rows: n,
      medianMs: Number(times[2].toFixed(1)),
      minMs: Number(times[0].toFixed(1)),
      maxMs: Number(times[4].toFixed(1)),
      drifted,
    });
  }
  return { results };
}

// The workload machinery does not cost the generator: (1) the open loop at 5,000 requests/s with a lognormal length
// distribution and shared prefixes, beside the same loop with fixed prompts; (2) a 100,000-request Mooncake trace
// replayed at 5,000/s, beside ones of 10,000 and 200,000 requests (the peak memory of each: streamed, it must not
// grow with the trace); (3) 10,000 slow SSE streams (1 token/s) held at once by one process, with memory per stream and the ttft
// error against the simulator's schedule (and beyond its own view of its lateness), beside autocannon holding the
// same 10,000 connections.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { autocannonArgs, CLI, startServer } from './lib.mjs';

const TIME = '/usr/bin/time';
const RATE_PER_S = Number(process.env.BENCH_RATE ?? 5000);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 10_000);
const STREAM_TTFT_MS = 50;
/** Schedule lag on this 2-core machine varies from run to run by more than the workloads cost: rounds alternate, medians reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function median(values) {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Rows of the same name over rounds, each number the median of its rounds (and the p99 lag of every round kept). */
function medianRows(rounds) {
  return rounds[0].map((row, i) => {
    const all = rounds.map((round) => round[i]);
    const out = { name: row.name, rounds: all.length };
    for (const [key, value] of Object.entries(row))
      if (typeof value === 'number') out[key] = median(all.map((r) => r[key]));
    out.scheduleLagP99MsByRound = all.map((r) => r.scheduleLagP99Ms);
    return out;
  });
}

/** Runs a command under GNU time; its stdout and its peak RSS in MB. */
function timed(args) {
  const result = spawnSync(TIME, ['-f', 'maxrss_kb=%M', ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const rss = /maxrss_kb=(\d+)/.exec(result.stderr ?? '');
  if (result.status !== 0 && result.status !== 3)
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr.slice(-2000)}`);
  return { stdout: result.stdout, peakRssMb: rss === null ? null : Number(rss[1]) / 1024 };
}

function bench(args) {
  const { stdout, peakRssMb } = timed([process.execPath, CLI, '--store', ':memory:', 'bench', ...args, '--json']);
  return { summary: JSON.parse(stdout), peakRssMb };
}

function lagRow(name, { summary, peakRssMb }) {
  return {
    name,
    targetPerS: summary.rate.targetPerS,
    achievedPerS: summary.rate.achievedPerS,
    completed: summary.requests.completed,
    errored: summary.requests.errored,
    scheduleLagP50Ms: summary.latencyMs.scheduleLag?.p50 ?? null,
    scheduleLagP99Ms: summary.latencyMs.scheduleLag?.p99 ?? null,
    scheduleLagMaxMs: summary.latencyMs.scheduleLag?.max ?? null,
    peakRssMb,
  };
}

const HTTP = ['--kind', 'http', '--body-template', '{"prompt":"{{prompt}}"}', '--output-path', 'output'];

async function openLoopWithWorkload(url) {
  const common = [
    ...HTTP,
    '--url',
    url,
    '--rate',
    String(RATE_PER_S),
    '--duration',
    `${DURATION_S}s`,
    '--warmup',
    '10%',
  ];
  const plain = bench([...common, '--input-tokens', '64']);
  const shaped = bench([...common, '--input-lengths', 'lognormal:64:32', '--shared-prefix', '4:32:0.5']);
  return [
    lagRow(`open loop ${RATE_PER_S}/s, fixed 64-token prompts`, plain),
    lagRow(`open loop ${RATE_PER_S}/s, lognormal lengths (mean 64) and shared prefixes (4 × 32 tokens, half)`, shaped),
  ];
}

/** A Mooncake-layout trace of `requests` arrivals evenly at `ratePerS`, 64-token prompts of two 32-token blocks. */
function writeTrace(path, requests, ratePerS) {
  const lines = [];
  for (let i = 0; i < requests; i += 1) {
    // Fractional ms, so that arrivals are as evenly spaced as the synthetic loop's (integer-ms timestamps, as
    // Mooncake's are, would send 5 at once each ms at 5,000/s).
    const at = (i * 1000) / ratePerS;
    lines.push(JSON.stringify({ timestamp: at, input_length: 64, output_length: 8, hash_ids: [i % 16, 1000 + i] }));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function traceReplay(url, paths) {
  return paths.map(({ requests, path }) => {
    const run = bench([...HTTP, '--url', url, '--trace', path, '--block-tokens', '32', '--warmup', '10%']);
    return {
      ...lagRow(`trace of ${requests} requests at ${RATE_PER_S}/s (${(requests / RATE_PER_S).toFixed(0)} s)`, run),
      traceRequests: run.summary.trace?.requests ?? null,
    };
  });
}

function autocannonPeak(url, connections, durationS) {
  const body = JSON.stringify({
    model: 'sim',
    stream: true,
    max_tokens: 10,
    messages: [{ role: 'user', content: 'hi' }],
  });
  // A timeout above a stream's length: autocannon's default (10 s) would cut the 9-s streams short under load.
  const { stdout, peakRssMb } = timed([
    process.execPath,
    ...autocannonArgs(url, connections, durationS, body, ['-t', '60']),
  ]);
  const result = JSON.parse(stdout);
  return { peakRssMb, completed: result.requests.total, errors: result.errors, non2xx: result.non2xx };
}

/**
 * Streams opened at count/5 per second for 5 s, each about 9 s long (first token after 50 ms, then 9 more a second
 * apart): from 5 s to 9 s all of them are open at once. A short time to first token keeps it precise: the
 * histograms hold 3 significant digits, 0.5 ms at 1 s but 32 µs at 50 ms.
 */
function streamArgs(base, count) {
  return [
    '--url',
    base,
    '--model',
    'sim',
    '--output-tokens',
    '10',
    '--fixed-output',
    '--input-tokens',
    '8',
    '--rate',
    String(count / 5),
    '--duration',
    '5s',
    '--max-concurrency',
    String(count),
    '--timeout',
    '60s',
  ];
}

/** A bench of `count` slow streams against a fresh simulator, with the simulator's own view of its lateness. */
async function streamsRun(count) {
  const sim = await startServer(process.execPath, [CLI, 'serve-sim', '--ttft', `${STREAM_TTFT_MS}ms`, '--itl', '1s']);
  try {
    const run = bench(streamArgs(sim.first, count));
    const own = await (await fetch(`${sim.first.replace(/\/v1$/, '')}/sim/lateness`)).json();
    return {
      ...run,
      simulatorTtftP50Ms: own.serverTtftMs.p50,
      simulatorFirstTokenLatenessP50Ms: own.firstTokenLatenessMs.p50,
    };
  } finally {
    await sim.stop();
  }
}

async function slowStreams() {
  const few = await streamsRun(100);
  const many = await streamsRun(STREAMS);
  const sim = await startServer(process.execPath, [CLI, 'serve-sim', '--ttft', `${STREAM_TTFT_MS}ms`, '--itl', '1s']);
  let peer;
  try {
    peer = autocannonPeak(`${sim.first}/chat/completions`, STREAMS, 15);
  } finally {
    await sim.stop();
  }
  const ttft = (run) => run.summary.latencyMs.ttft;
  const perStreamKb = ((many.peakRssMb - few.peakRssMb) * 1024) / (STREAMS - 100);
  return {
    name: `${STREAMS} SSE streams at 1 token/s held at once`,
    completed: many.summary.requests.completed,
    errored: many.summary.requests.errored,
    errors: many.summary.errors,
    peakRssMb: many.peakRssMb,
    peakRssMbWith100Streams: few.peakRssMb,
    memoryPerStreamKb: perStreamKb,
    // Against the schedule: what the simulator's own lateness and the client's measurement add up to.
    ttftErrorP50Ms: ttft(many).p50 - STREAM_TTFT_MS,
    ttftErrorP99Ms: ttft(many).p99 - STREAM_TTFT_MS,
    // The simulator's own time to its first token (from reading the request to writing the token), and what the
    // client measured beyond it: the client's share of the error.
    simulatorOwnTtftP50Ms: many.simulatorTtftP50Ms,
    simulatorFirstTokenLatenessP50Ms: many.simulatorFirstTokenLatenessP50Ms,
    ttftP50BeyondSimulatorOwnMs: ttft(many).p50 - many.simulatorTtftP50Ms,
    with100Streams: {
      ttftErrorP50Ms: ttft(few).p50 - STREAM_TTFT_MS,
      simulatorOwnTtftP50Ms: few.simulatorTtftP50Ms,
      ttftP50BeyondSimulatorOwnMs: ttft(few).p50 - few.simulatorTtftP50Ms,
    },
    connectP50Ms: many.summary.latencyMs.connect?.p50 ?? null,
    itlP50Ms: many.summary.latencyMs.itl?.p50 ?? null,
    scheduleLagP99Ms: many.summary.latencyMs.scheduleLag?.p99 ?? null,
    autocannon: { connections: STREAMS, seconds: 15, ...peer },
    memoryRatioToAutocannon: peer.peakRssMb === null ? null : many.peakRssMb / peer.peakRssMb,
  };
}

/** The trace machinery's own heap after collection, every 100,000 of 1,000,000 requests read and built (no sending). */
function traceHeap(dir) {
  const path = join(dir, 'trace-1m.jsonl');
  writeTrace(path, 1_000_000, RATE_PER_S);
  const script = fileURLToPath(new URL('./trace-heap.mjs', import.meta.url));
  const result = spawnSync(process.execPath, ['--expose-gc', script, path], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`trace-heap failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

export async function workloads() {
  const server = await startServer(process.execPath, [
    fileURLToPath(new URL('./servers/minimal-server.mjs', import.meta.url)),
  ]);
  const url = `http://127.0.0.1:${server.first}/echo`;
  const dir = mkdtempSync(join(tmpdir(), 'yardstick-trace-bench-'));
  try {
    const traces = [10_000, 100_000, 200_000].map((requests) => {
      const path = join(dir, `trace-${requests}.jsonl`);
      writeTrace(path, requests, RATE_PER_S);
      return { requests, path };
    });
    const open = [];
    for (let round = 0; round < ROUNDS; round += 1) open.push(await openLoopWithWorkload(url));
    // One round of each trace: their peak memory, 10,000 to 200,000 requests (2 s to 40 s), is the point.
    const trace = traceReplay(url, traces);
    await server.stop();
    return { openLoop: medianRows(open), trace, traceHeap: traceHeap(dir), slowStreams: await slowStreams() };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await workloads(), null, 2));

// Proxy overhead: the latency `yardstick proxy` adds to streamed requests, against nginx as a plain reverse proxy, the
// simplest Node.js HTTP proxy (bench/servers/node-pipe-proxy.mjs, no measuring) and two sockets piped together
// (bench/servers/tcp-pipe-proxy.mjs, no HTTP at all: the floor of a Node.js process) in the same rounds. The
// simulator (its own process) streams 8 tokens, the first after 5 ms and then one every 1 ms; yardstick bench sends
// 1,000 requests/s for 10 s, directly and through each proxy (each its own process, one worker, keep-alive to the
// simulator, no buffering), in rotating order, after 5 s of unrecorded traffic through each. What each proxy adds is its
// p50 minus the direct p50 of the same round.
//
// The rig itself keeps time by polling: the simulator polls to send each token on time and yardstick bench polls to
// send each request on time, and at 1,000 requests/s each polls without pause, so with no proxy at all the two of them
// keep a two-core machine about 96% busy (`machineBusyPercent` of the direct runs). A proxy on such a machine waits for
// a core at every wake-up, and what it adds is mostly that wait. So the rig runs at nice 10 (BENCH_RIG_NICE, 0 for
// the busy rig), and the process under test, whichever it is, gets a core first when it wakes: as on a server whose
// clients and model run elsewhere.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, startServer, startSimulator, streamedRateArgs, yardstickBench } from './lib.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RATE = 1000;
const WARM_UP_S = 5;
/** A nice value, or `idle`: the rig under SCHED_IDLE, which the kernel sets aside at once for any other task. */
const RIG_NICENESS = process.env.BENCH_RIG_NICE === 'idle' ? 'idle' : Number(process.env.BENCH_RIG_NICE ?? 10);

const NODE_PIPE_PROXY = fileURLToPath(new URL('./servers/node-pipe-proxy.mjs', import.meta.url));
const TCP_PIPE_PROXY = fileURLToPath(new URL('./servers/tcp-pipe-proxy.mjs', import.meta.url));

/** The machine's CPU time counters (all cores, in clock ticks): idle and in all, from /proc/stat. */
function machineTicks() {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { idle: ticks[3] + ticks[4], all: ticks.reduce((sum, value) => sum + value, 0) };
}

/** CPU time (user + system) in milliseconds from a /proc `stat` file: a process's, or one of its threads'. */
function statCpuMs(statPath) {
  const fields = readFileSync(statPath, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time a process has used, in milliseconds (user + system, from /proc). */
function cpuMs(pid) {
  return statCpuMs(`/proc/${pid}/stat`);
}

/**
 * A process's threads as the kernel counts them (from /proc/PID/task): CPU time of its main thread and of all the
 * others, in milliseconds, and how often they went to sleep waiting (voluntary context switches: each one is a wake-up
 * later). For yardstick the main thread measures and the others are forwarding and the runtime's helpers; nginx has
 * one thread.
 */
function threadUse(pid) {
  let mainCpuMs = 0;
  let otherCpuMs = 0;
  let sleeps = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let threadCpuMs;
    let status;
    try {
      threadCpuMs = statCpuMs(`/proc/${pid}/task/${tid}/stat`);
      status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    if (tid === String(pid)) mainCpuMs += threadCpuMs;
    else otherCpuMs += threadCpuMs;
    sleeps += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  }
  return { mainCpuMs, otherCpuMs, sleeps };
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 200; i += 1) {
    const open = await new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** nginx in the foreground, one process, proxying to `upstreamPort` the way a streaming LLM API needs. */
async function startNginx(upstreamPort) {
  const dir = mkdtempSync(join(tmpdir(), 'ys-nginx-'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
master_process off;
error_log stderr warn;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream sim { server 127.0.0.1:${upstreamPort}; keepalive 256; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://sim;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
`,
  );
  const child = spawn('nginx', ['-p', dir, '-c', conf, '-e', 'stderr'], { stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForPort(port);
  const version = await new Promise((resolve) => {
    const v = spawn('nginx', ['-v'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let text = '';
    v.stderr.on('data', (d) => (text += d));
    v.on('exit', () => resolve(text.trim()));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    version,
    stop: () =>
      new Promise((done) => (child.exitCode !== null ? done() : (child.once('exit', done), child.kill('SIGTERM')))),
  };
}

/**
 * yardstick bench at 1,000 streamed requests/s through `base`, itself at nice `rigNiceness`; with `pid`, that
 * process's CPU per request. Also how busy the whole machine was meanwhile.
 */
export async function measure(base, pid, durationS = DURATION_S, rigNiceness = RIG_NICENESS) {
  const cpuBefore = pid === null ? 0 : cpuMs(pid);
  const threadsBefore = pid === null ? null : threadUse(pid);
  const machineBefore = machineTicks();
  const summary = await yardstickBench([...streamedRateArgs(base, RATE, durationS), '--warmup', '10%'], {
    niceness: rigNiceness,
  });
  const machineAfter = machineTicks();
  const idleShare = (machineAfter.idle - machineBefore.idle) / (machineAfter.all - machineBefore.all);
  const threadsAfter = pid === null ? null : threadUse(pid);
  const perRequest = (key) =>
    threadsBefore === null ? null : (threadsAfter[key] - threadsBefore[key]) / summary.requests.completed;
  return {
    proxyCpuMsPerRequest: pid === null ? null : (cpuMs(pid) - cpuBefore) / summary.requests.completed,
    mainThreadCpuMsPerRequest: perRequest('mainCpuMs'),
    otherThreadsCpuMsPerRequest: perRequest('otherCpuMs'),
    wakeUpsPerRequest: perRequest('sleeps'),
    machineBusyPercent: 100 * (1 - idleShare),
    completed: summary.requests.completed,
    errored: summary.requests.errored,
    achievedPerS: summary.rate.achievedPerS,
    ttftP50Ms: summary.latencyMs.ttft.p50,
    ttftP99Ms: summary.latencyMs.ttft.p99,
    e2eP50Ms: summary.latencyMs.e2e.p50,
    e2eP99Ms: summary.latencyMs.e2e.p99,
  };
}

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export async function proxyOverhead() {
  const sim = await startSimulator('5ms', '1ms', 8, { niceness: RIG_NICENESS });
  const simOrigin = sim.first.replace(/\/v1$/, '');
  const proxy = await startServer(process.execPath, [CLI, 'proxy', '--upstream', simOrigin, '--listen', '127.0.0.1:0']);
  const nginx = await startNginx(Number(new URL(simOrigin).port));
  const pipe = await startServer(process.execPath, [NODE_PIPE_PROXY, simOrigin]);
  const tcpPipe = await startServer(process.execPath, [TCP_PIPE_PROXY, simOrigin]);
  const ways = {
    direct: { url: simOrigin, pid: null },
    yardstick: { url: proxy.first, pid: proxy.pid },
    nginx: { url: nginx.url, pid: nginx.pid },
    nodePipe: { url: pipe.first, pid: pipe.pid },
    tcpPipe: { url: tcpPipe.first, pid: tcpPipe.pid },
  };
  const rounds = [];
  try {
    // Every proxy process starts cold: its first seconds of traffic run code the JIT has not compiled yet, which costs
    // a Node.js proxy a round's worth of CPU. Each way carries traffic once before the rounds, unrecorded, so the
    // rounds compare steady states.
    for (const way of Object.values(ways)) await measure(way.url, way.pid, WARM_UP_S);
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = Object.keys(ways);
      for (let i = 0; i < round % order.length; i += 1) order.push(order.shift());
      const measured = {};
      for (const way of order) measured[way] = await measure(ways[way].url, ways[way].pid);
      const added = (way, key) => measured[way][key] - measured.direct[key];
      rounds.push({
        order,
        ...measured,
        yardstickAddedTtftP50Ms: added('yardstick', 'ttftP50Ms'),
        nginxAddedTtftP50Ms: added('nginx', 'ttftP50Ms'),
        yardstickAddedE2eP50Ms: added('yardstick', 'e2eP50Ms'),
        nginxAddedE2eP50Ms: added('nginx', 'e2eP50Ms'),
        nodePipeAddedTtftP50Ms: added('nodePipe', 'ttftP50Ms'),
        nodePipeAddedE2eP50Ms: added('nodePipe', 'e2eP50Ms'),
        tcpPipeAddedTtftP50Ms: added('tcpPipe', 'ttftP50Ms'),
        yardstickMinusNginxTtftP50Ms: measured.yardstick.ttftP50Ms - measured.nginx.ttftP50Ms,
      });
    }
  } finally {
    await tcpPipe.stop();
    await pipe.stop();
    await nginx.stop();
    await proxy.stop();
    await sim.stop();
  }
  return {
    name: `proxy overhead, ${RATE} streamed requests/s for ${DURATION_S} s, simulator ttft 5 ms / itl 1 ms / 8 tokens`,
    nginx: nginx.version,
    rigNiceness: RIG_NICENESS,
    medianDirectMachineBusyPercent: median(rounds.map((r) => r.direct.machineBusyPercent)),
    rounds,
    medianYardstickAddedTtftP50Ms: median(rounds.map((r) => r.yardstickAddedTtftP50Ms)),
    medianNginxAddedTtftP50Ms: median(rounds.map((r) => r.nginxAddedTtftP50Ms)),
    medianYardstickAddedE2eP50Ms: median(rounds.map((r) => r.yardstickAddedE2eP50Ms)),
    medianNginxAddedE2eP50Ms: median(rounds.map((r) => r.nginxAddedE2eP50Ms)),
    medianNodePipeAddedTtftP50Ms: median(rounds.map((r) => r.nodePipeAddedTtftP50Ms)),
    medianNodePipeAddedE2eP50Ms: median(rounds.map((r) => r.nodePipeAddedE2eP50Ms)),
    medianTcpPipeAddedTtftP50Ms: median(rounds.map((r) => r.tcpPipeAddedTtftP50Ms)),
    // Paired by round: yardstick's ttft p50 minus nginx's, both measured in the same round.
    medianYardstickMinusNginxTtftP50Ms: median(rounds.map((r) => r.yardstickMinusNginxTtftP50Ms)),
    roundsYardstickNoWorseThanNginx: rounds.filter((r) => r.yardstickMinusNginxTtftP50Ms <= 0).length,
    // Where each proxy's CPU went and how often it woke up, per request (medians over the rounds).
    threads: Object.fromEntries(
      ['yardstick', 'nginx', 'nodePipe', 'tcpPipe'].map((way) => [
        way,
        {
          mainThreadCpuMsPerRequest: median(rounds.map((r) => r[way].mainThreadCpuMsPerRequest)),
          otherThreadsCpuMsPerRequest: median(rounds.map((r) => r[way].otherThreadsCpuMsPerRequest)),
          wakeUpsPerRequest: median(rounds.map((r) => r[way].wakeUpsPerRequest)),
        },
      ]),
    ),
  };
}

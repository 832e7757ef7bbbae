// Reference for the timing benchmark: time to first token as seen by the thinnest possible client (one raw TCP
// socket, a prebuilt request, no HTTP library), beside yardstick's synchronous measurement of the same simulator.
// What both see above the simulator's own view is the path between the processes, not the client.
import net from 'node:net';
import { CLI, startServer, yardstickBench } from './lib.mjs';

const REQUESTS = 40;

async function rawSocketTtftP50(port) {
  const body = JSON.stringify({
    model: 'sim',
    messages: [{ role: 'user', content: 'hi' }],
    max_tokens: 2,
    stream: true,
  });
  const request = `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((resolve) => socket.once('connect', resolve));
  const ttftsMs = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    const sentAt = process.hrtime.bigint();
    let firstAt = null;
    let text = '';
    await new Promise((resolve) => {
      const onData = (data) => {
        const now = process.hrtime.bigint();
        text += data;
        if (firstAt === null && text.includes('data: {')) firstAt = now;
        if (text.includes('[DONE]')) {
          socket.off('data', onData);
          resolve();
        }
      };
      socket.on('data', onData);
      socket.write(request);
    });
    ttftsMs.push(Number(firstAt - sentAt) / 1e6);
  }
  socket.destroy();
  ttftsMs.sort((a, b) => a - b);
  return ttftsMs[Math.floor(ttftsMs.length / 2)];
}

export async function referenceTtft() {
  const sim = await startServer(process.execPath, [CLI, 'serve-sim', '--port', '0', '--ttft', '50ms', '--itl', '10ms']);
  const base = sim.first.replace(/\/v1$/, '');
  try {
    const raw = await rawSocketTtftP50(Number(new URL(base).port));
    await fetch(`${base}/sim/lateness/reset`, { method: 'POST' });
    const summary = await yardstickBench([
      '--url',
      sim.first,
      '--model',
      'sim',
      '--profile',
      'concurrency',
      '--concurrency',
      '1',
      '--requests',
      String(REQUESTS),
      '--output-tokens',
      '2',
    ]);
    const server = await (await fetch(`${base}/sim/lateness`)).json();
    return {
      name: 'time to first token, one stream, schedule 50 ms: raw socket vs yardstick',
      rawSocketTtftP50Ms: raw,
      yardstickTtftP50Ms: summary.latencyMs.ttft.p50,
      simulatorOwnTtftP50Ms: server.serverTtftMs.p50,
      ratioYardstickToRawSocket: summary.latencyMs.ttft.p50 / raw,
    };
  } finally {
    await sim.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await referenceTtft(), null, 2));

// A TCP pipe (bench/servers/tcp-pipe-proxy.mjs) that also spends a fixed CPU time on every piece it forwards, as a
// measuring proxy spends it reading what passes: `same` spends it on the forwarding thread, right after the write;
// `worker` copies each piece with its arrival time into a shared ring that a worker thread empties every 5 ms,
// spending the time there. Arguments: upstream URL, `same` or `worker`, microseconds per piece. Prints its URL first.
import net from 'node:net';
import { Worker } from 'node:worker_threads';

const upstream = new URL(process.argv[2]);
const where = process.argv[3];
const busyUs = Number(process.argv[4]);
if (where !== 'same' && where !== 'worker') throw new Error(`where must be same or worker, not ${where}`);

const RING_BYTES = 8 << 20;
const ring = new Uint8Array(new SharedArrayBuffer(RING_BYTES));
/** [write position, read position] of the ring. */
const positions = new Int32Array(new SharedArrayBuffer(8));

const BUSY_CODE = `function busy(us) {
  const until = process.hrtime.bigint() + BigInt(Math.round(us * 1000));
  while (process.hrtime.bigint() < until);
}`;
const busy = new Function('us', `${BUSY_CODE}; busy(us);`);

if (where === 'worker')
  new Worker(
    `const { workerData } = require('node:worker_threads');
     const ring = new Uint8Array(workerData.ring);
     const positions = new Int32Array(workerData.positions);
     ${BUSY_CODE}
     setInterval(() => {
       let read = Atomics.load(positions, 1);
       const write = Atomics.load(positions, 0);
       while (read !== write) {
         const length = ring[read] | (ring[(read + 1) % ${RING_BYTES}] << 8);
         read = (read + 2 + 8 + length) % ${RING_BYTES};
         busy(${busyUs});
       }
       Atomics.store(positions, 1, read);
     }, 5);`,
    { eval: true, workerData: { ring: ring.buffer, positions: positions.buffer } },
  ).unref();

/** Puts a piece (at most 64 KiB of it) and its arrival time on the ring: length, 8 bytes of time, the bytes. */
function record(piece) {
  let write = Atomics.load(positions, 0);
  const length = Math.min(piece.length, 65535);
  const put = (byte) => {
    ring[write] = byte;
    write = (write + 1) % RING_BYTES;
  };
  put(length & 255);
  put(length >> 8);
  const at = process.hrtime.bigint();
  for (let i = 0n; i < 8n; i += 1n) put(Number((at >> (8n * i)) & 255n));
  const first = Math.min(length, RING_BYTES - write);
  ring.set(piece.subarray(0, first), write);
  ring.set(piece.subarray(first, length), 0);
  write = (write + length) % RING_BYTES;
  Atomics.store(positions, 0, write);
}

const spend = where === 'same' ? () => busy(busyUs) : record;
const server = net.createServer({ noDelay: true }, (client) => {
  const toUpstream = net.connect({ host: upstream.hostname, port: Number(upstream.port), noDelay: true });
  const forward = (from, to) => {
    from.on('data', (piece) => {
      to.write(piece);
      spend(piece);
    });
    from.on('end', () => to.end());
    from.on('error', () => to.destroy());
  };
  forward(client, toUpstream);
  forward(toUpstream, client);
});
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));

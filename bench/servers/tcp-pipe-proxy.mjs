// The least a Node.js proxy can do: each client connection piped byte for byte to a connection of its own to the
// upstream, both ways, no HTTP read at all. A floor for yardstick proxy's overhead in the same process model; no
// usable proxy is this simple (Host is not rewritten, nothing is measured). Prints its URL on the first line.
import net from 'node:net';

const upstream = new URL(process.argv[2]);
const server = net.createServer({ noDelay: true }, (client) => {
  const toUpstream = net.connect({ host: upstream.hostname, port: Number(upstream.port), noDelay: true });
  client.pipe(toUpstream);
  toUpstream.pipe(client);
  client.on('error', () => toUpstream.destroy());
  toUpstream.on('error', () => client.destroy());
});
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));

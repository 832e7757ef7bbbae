// The smallest useful HTTP endpoint: reads the request body and answers a 16-byte JSON document.
// Every load generator in the capacity benchmark targets this same server, one process on 127.0.0.1.
import { createServer } from 'node:http';

const body = '{"output":"ok"}\n';
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

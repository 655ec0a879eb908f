/**
 * The reference of the proxy benchmark's latency part: the smallest TCP relay
 * Node can run (two sockets joined by pipe(), nothing else). What it adds
 * over a direct connection is the price of one more process and loopback hop
 * on this machine; what the proxy adds beyond it is the proxy's own code.
 *
 *   node --import tsx bench/proxy-relay.ts --upstream 127.0.0.1:PORT
 *
 * Prints `listening http://HOST:PORT` as its first stdout line and exits 0 on
 * SIGTERM or SIGINT, like the other benchmark children.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

const HOST = '127.0.0.1';
const EXIT_USAGE = 2;

function upstreamOf(argv: string[]): { host: string; port: number } | undefined {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: { upstream: { type: 'string' } },
    });
    const match = /^(127\.0\.0\.1):(\d{1,5})$/.exec(values.upstream ?? '');
    return match?.[1] && match[2] ? { host: match[1], port: Number(match[2]) } : undefined;
  } catch {
    return undefined;
  }
}

function main(): void {
  const upstream = upstreamOf(process.argv.slice(2));
  if (!upstream) {
    console.error('usage: proxy-relay.ts --upstream 127.0.0.1:PORT');
    process.exit(EXIT_USAGE);
  }
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer({ noDelay: true }, (client) => {
    const server = connect({ ...upstream, noDelay: true });
    track(client);
    track(server);
    client.pipe(server);
    server.pipe(client);
    client.on('error', () => server.destroy());
    server.on('error', () => client.destroy());
  });
  server.listen(0, HOST, () => {
    const { port } = server.address() as AddressInfo;
    console.log(`listening http://${HOST}:${port}`);
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    for (const socket of sockets) socket.destroy();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();

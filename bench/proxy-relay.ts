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
import { connect, createServer } from 'node:net';
import { serveUntilSignal } from './lib/serve-child.js';
import { parseArgs } from 'node:util';

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
  const server = createServer({ noDelay: true }, (client) => {
    const upstreamSocket = connect({ ...upstream, noDelay: true });
    client.pipe(upstreamSocket);
    upstreamSocket.pipe(client);
    client.on('error', () => upstreamSocket.destroy());
    upstreamSocket.on('error', () => client.destroy());
    client.once('close', () => upstreamSocket.destroy());
  });
  serveUntilSignal(server);
}

main();

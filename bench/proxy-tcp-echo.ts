/**
 * The upstream of the proxy benchmark's bulk part: a raw TCP server that
 * writes back every byte it reads, with backpressure (a slow reader pauses
 * the writer), and nothing else. Streaming through it directly and through a
 * tcp-mode proxy shows what the proxy's data path costs per byte.
 *
 * Run as its own process; like the other benchmark children it prints
 * `listening http://HOST:PORT` as its first stdout line (the scheme is only
 * the shared start-up contract: it speaks no HTTP) and exits 0 on SIGTERM or
 * SIGINT.
 */
import { createServer } from 'node:net';
import { serveUntilSignal } from './lib/serve-child.js';

const server = createServer({ noDelay: true }, (socket) => {
  socket.on('error', () => socket.destroy());
  // pipe() pauses reading while the write side is full; the client's end() ends ours.
  socket.pipe(socket);
});
serveUntilSignal(server);

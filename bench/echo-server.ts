/**
 * The baseline target of the exchange benchmark: the cheapest server `node:http`
 * can run that still does what every exchange request needs (read a form body,
 * answer a small JSON). Comparing the exchange against it separates what the
 * venue costs from what Node's HTTP stack and the client cost anyway.
 *
 * Run as its own process so it never shares an event loop with the load
 * generator; like the CLI it prints `listening http://HOST:PORT` as its first
 * stdout line and exits 0 on SIGTERM or SIGINT.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { serveUntilSignal } from './lib/serve-child.js';

/** Same keep-alive timeout as the exchange, so idle connections live equally long. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

function answer(req: IncomingMessage, res: ServerResponse): void {
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  req.on('end', () => {
    const payload = JSON.stringify({ ok: true, bytes });
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json;charset=UTF-8');
    res.setHeader('Content-Length', Buffer.byteLength(payload));
    res.end(payload);
  });
}

serveUntilSignal(createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, answer));

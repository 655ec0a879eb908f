/**
 * Test support: a real loopback HTTP endpoint that records every request and
 * answers from a script. Used by the notifier tests only.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { closeServer, listen } from '../../src/common/index.js';

/** How the recorder answers one request: a status, or never ('hang'). */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/** One request as the endpoint saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
  /** performance.now() when the body had arrived. */
  atMs: number;
}

export interface WebhookRecorder {
  port: number;
  url: string;
  requests: RecordedRequest[];
  /** Sets the replies, used in order; the last one repeats. Default: 204. */
  script(...replies: Reply[]): void;
  /** Resolves once `count` requests have arrived; rejects after `timeoutMs` (a hang guard). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves once every client connection has been closed (by the client); rejects after `timeoutMs`. */
  waitForNoConnections(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a recorder on 127.0.0.1, on `port` (default: any free one). */
export async function startRecorder(port = 0): Promise<WebhookRecorder> {
  const requests: RecordedRequest[] = [];
  // Fires on every request and every closed connection, so waiters re-check.
  const arrivals = new EventEmitter();
  let replies: Reply[] = [{ status: 204 }];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        json: parseJson(body),
        atMs: performance.now(),
      });
      const reply = replies.length > 1 ? replies.shift() : replies[0];
      arrivals.emit('request');
      if (reply === undefined || reply === 'hang') return;
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body ?? '');
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      arrivals.emit('request');
    });
  });
  const bound = await listen(server, '127.0.0.1', port);
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}/hook/secret-token`,
    requests,
    script: (...next) => {
      replies = next.length > 0 ? next : [{ status: 204 }];
    },
    waitFor: (count, timeoutMs = 5000) =>
      waitFor(arrivals, () => requests.length >= count, timeoutMs),
    waitForNoConnections: (timeoutMs = 5000) =>
      waitFor(arrivals, () => sockets.size === 0, timeoutMs),
    close: () => closeServer(server),
  };
}

function waitFor(arrivals: EventEmitter, done: () => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done()) return;
      clearTimeout(timer);
      arrivals.off('request', check);
      resolve();
    };
    const timer = setTimeout(() => {
      arrivals.off('request', check);
      reject(new Error(`hang guard: condition not met within ${timeoutMs} ms`));
    }, timeoutMs);
    arrivals.on('request', check);
    check();
  });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** A port nothing listens on (bound, then released), for ECONNREFUSED. */
export async function deadPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server, '127.0.0.1', 0);
  await closeServer(server);
  return port;
}

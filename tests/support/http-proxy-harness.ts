import { once } from 'node:events';
import {
  type Agent,
  createServer as createHttpServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Server } from 'node:net';
import {
  createHttpFrontend,
  type HttpFrontend,
  type HttpFrontendOptions,
} from '../../src/proxy/http-frontend.js';
import { emptyStats, type ProxySpec, type ProxyStats, type Stream } from '../../src/proxy/model.js';
import { activateToxic, type ActiveToxic, type ProxyRuntime } from '../../src/proxy/runtime.js';
import { parseToxicSpec } from '../../src/proxy/specs.js';

/** A real node:http upstream that records every request it executed. */
export interface Upstream {
  port: number;
  /** Requests executed, in arrival order, with the time their body was read (performance.now()). */
  hits: Array<{ method: string; path: string; headers: IncomingHttpHeaders; atMs: number }>;
  close(): Promise<void>;
}

type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** Echoes method, path, body and the Host it saw as JSON. */
const echo: UpstreamHandler = (req, res, body) => {
  const payload = JSON.stringify({
    method: req.method,
    path: req.url,
    body,
    host: req.headers.host,
  });
  res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes' });
  res.end(payload);
};

export async function startUpstream(handler: UpstreamHandler = echo): Promise<Upstream> {
  const hits: Upstream['hits'] = [];
  const server = createHttpServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      hits.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        atMs: performance.now(),
      });
      handler(req, res, body);
    });
  });
  const port = await listen(server);
  return {
    port,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An http-mode proxy runtime around the real front end, with toxics the test can change. */
export interface HttpProxy {
  port: number;
  stats: ProxyStats;
  frontend: HttpFrontend;
  /** Installs a toxic from Toxiproxy-shaped JSON, as the admin API would. */
  addToxic(input: unknown): void;
  removeToxic(name: string): void;
  close(how?: 'graceful' | 'reset'): Promise<void>;
}

export async function startHttpProxy(
  upstreamPort: number,
  options: HttpFrontendOptions = {},
): Promise<HttpProxy> {
  const toxics: ActiveToxic[] = [];
  const spec: ProxySpec = {
    name: 'test',
    listen: '127.0.0.1:0',
    upstream: `127.0.0.1:${upstreamPort}`,
    enabled: true,
    mode: 'http',
  };
  const runtime: ProxyRuntime = {
    spec,
    stats: emptyStats(),
    toxics: (stream: Stream) => toxics.filter((toxic) => toxic.stream === stream),
    upstream: () => ({ host: '127.0.0.1', port: upstreamPort }),
    random: Math.random,
    countToxic(name, applied) {
      const counter = (this.stats.toxics[name] ??= { evaluated: 0, applied: 0 });
      counter.evaluated += 1;
      if (applied) counter.applied += 1;
    },
  };
  const frontend = createHttpFrontend(runtime, options);
  const server = createNetServer({ noDelay: true }, (socket) => frontend.handle(socket));
  const port = await listen(server);
  return {
    port,
    stats: runtime.stats,
    frontend,
    addToxic(input) {
      toxics.push(activateToxic(parseToxicSpec(input), runtime.random));
    },
    removeToxic(name) {
      const index = toxics.findIndex((toxic) => toxic.name === name);
      if (index >= 0) toxics.splice(index, 1);
      frontend.toxicsChanged();
    },
    close: async (how = 'graceful') => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await frontend.close(how);
      await closed;
    },
  };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SendOptions {
  method?: string;
  path?: string;
  body?: string;
  headers?: OutgoingHttpHeaders;
  agent?: Agent;
  /** Hang guard: the request is aborted (AbortError) after this long; default 5000 ms. */
  timeoutMs?: number;
}

/** One request to 127.0.0.1:port; rejects with the socket error (ECONNRESET, AbortError, ...). */
export function send(port: number, options: SendOptions = {}): Promise<Reply> {
  const { method = 'GET', path = '/', body, agent, timeoutMs = 5000 } = options;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: options.headers,
        agent: agent ?? false,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Writes raw bytes on a fresh connection and collects everything until the server closes it. */
export async function rawExchange(port: number, bytes: string, timeoutMs = 5000): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error('raw exchange timed out')));
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  socket.write(bytes);
  await once(socket, 'close');
  return text;
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

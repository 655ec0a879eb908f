import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { closeServer, hostPort, listen, messageOf } from '../../common/index.js';
import { httpStatusOf, type HealthReport } from './report.js';

/** A request as an extra route sees it. */
export interface RouteRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  /** The request body as text; empty for GET and HEAD. */
  body: string;
}

/** An extra route's answer: `body` is sent as JSON unless it is a string. */
export interface RouteResponse {
  /** Default 200. */
  status?: number;
  body: unknown;
  /** Default application/json, or text/plain for a string body. */
  contentType?: string;
  headers?: Record<string, string>;
}

export type RouteHandler = (request: RouteRequest) => RouteResponse | Promise<RouteResponse>;

export interface HealthServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Called on every GET /health; a throw answers 503 with status unknown. */
  report: () => HealthReport | Promise<HealthReport>;
  registry: Registry;
  /** Extra routes keyed "METHOD /path" or "/path" (GET), e.g. "GET /watchdog/status". */
  routes?: Record<string, RouteHandler>;
}

export interface HealthServer {
  url: string;
  port: number;
  /** Adds or replaces a route after start, keyed like HealthServerOptions.routes. */
  route(key: string, handler: RouteHandler): void;
  close(): Promise<void>;
}

/** Bodies of extra routes are small control messages; anything bigger is refused. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Serves GET /health (JSON, 200 when healthy or degraded, 503 otherwise),
 * GET /metrics (Prometheus text) and any extra routes, on loopback by default.
 * Unknown paths answer 404 and known paths with another method 405, both as
 * JSON `{error}`.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const host = options.host ?? '127.0.0.1';
  const routes = new Map<string, Map<string, RouteHandler>>();
  const addRoute = (key: string, handler: RouteHandler): void => {
    const [method, path] = parseRouteKey(key);
    const methods = routes.get(path) ?? new Map<string, RouteHandler>();
    methods.set(method, handler);
    routes.set(path, methods);
  };
  addRoute('GET /health', () => healthRoute(options.report));
  addRoute('GET /metrics', async () => ({
    body: await options.registry.metrics(),
    contentType: options.registry.contentType,
  }));
  for (const [key, handler] of Object.entries(options.routes ?? {})) addRoute(key, handler);

  const server = createServer((req, res) => {
    void dispatch(routes, req, res);
  });
  const port = await listen(server, host, options.port ?? 0);
  return {
    url: `http://${hostPort(host, port)}`,
    port,
    route: addRoute,
    close: () => closeServer(server),
  };
}

function parseRouteKey(key: string): [string, string] {
  const match = /^(?:([A-Z]+) +)?(\/\S*)$/.exec(key.trim());
  if (!match) throw new RangeError(`bad route key ${JSON.stringify(key)}: expected "GET /path"`);
  return [match[1] ?? 'GET', match[2] as string];
}

async function healthRoute(report: HealthServerOptions['report']): Promise<RouteResponse> {
  try {
    const body = await report();
    return { status: httpStatusOf(body.status), body };
  } catch (error) {
    const body = { status: 'unknown', components: {}, at: Date.now(), error: messageOf(error) };
    return { status: 503, body };
  }
}

async function dispatch(
  routes: Map<string, Map<string, RouteHandler>>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://localhost');
  const methods = routes.get(url.pathname);
  if (!methods) return send(res, { status: 404, body: { error: `no route ${url.pathname}` } });
  const handler = methods.get(method);
  if (!handler) {
    const allow = [...methods.keys()].join(', ');
    const body = { error: `method ${method} not allowed on ${url.pathname}` };
    return send(res, { status: 405, body, headers: { allow } });
  }
  try {
    const body = await readBody(req);
    send(res, await handler({ method, url, headers: req.headers, body }));
  } catch (error) {
    send(res, { status: 500, body: { error: messageOf(error) } });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new RangeError(`request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: RouteResponse): void {
  if (res.headersSent) return;
  const text = typeof response.body === 'string';
  const payload = text ? (response.body as string) : JSON.stringify(response.body);
  res.writeHead(response.status ?? 200, {
    ...response.headers,
    'content-type':
      response.contentType ?? (text ? 'text/plain; charset=utf-8' : 'application/json'),
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  });
  res.end(payload);
}

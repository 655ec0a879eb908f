import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { closeServer, hostPort, isLoopbackAddress, listen } from '../common/index.js';
import { MAX_BODY_BYTES } from './api/body.js';
import { handleRequest } from './api/handler.js';
import { ProxyMetrics } from './api/metrics.js';
import { errorReply, writeReply } from './api/reply.js';
import type { ApiContext } from './api/route.js';
import { parsePopulate, ProxyCollection, type ProxyInput } from './collection.js';
import { badInput, listenError } from './errors.js';
import type { Proxy } from './proxy.js';
import type { WireListener } from './wire-tap.js';

export interface ProxyServerOptions {
  /** Address of the admin API. Default 127.0.0.1; anything but loopback needs allowRemote. */
  host?: string;
  /** Port of the admin API; 0 picks a free one. Default 8474, Toxiproxy's. */
  port?: number;
  /** Serve the admin API on a non-loopback address. Default false: it can reroute traffic. */
  allowRemote?: boolean;
  /** When set, every request must send `Authorization: Bearer <token>` (else 401). Default none. */
  token?: string;
  /** Largest request body in bytes (else 413). Default 1 MiB. */
  maxBodyBytes?: number;
  /** Aborting closes the server as close() does. */
  signal?: AbortSignal;
  /** Told of unexpected exceptions, which clients see as a well-formed 500. */
  onInternalError?: (error: unknown) => void;
  /** Seeds every toxicity draw and jitter, so a run's faults repeat. Default unseeded. */
  seed?: number;
}

export interface ProxyServer {
  /** Base URL of the admin API, e.g. http://127.0.0.1:8474 */
  url: string;
  port: number;
  /** Live view of the proxies, by name. */
  proxies: ReadonlyMap<string, Proxy>;
  /**
   * POST /populate in-process: creates or replaces each proxy (and its toxics).
   * Validates everything first; throws ProxyError, and proxies applied before a
   * failing one stay applied (as in Toxiproxy).
   */
  populate(specs: readonly ProxyInput[]): Promise<Proxy[]>;
  /** POST /reset in-process: every toxic removed, every proxy enabled. */
  reset(): Promise<void>;
  /**
   * Calls listener with one WireRequest per request read by any http-mode
   * proxy of this server, now or later created, when the request ends.
   * Synchronous, on the data path: keep it quick; what it throws is
   * ignored. Returns the unsubscribe function.
   */
  onWireRequest(listener: WireListener): () => void;
  /** Removes every toxic, closes every proxy and the admin API. Idempotent. */
  close(): Promise<void>;
}

const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Starts the Toxiproxy-compatible admin API. */
export async function createProxyServer(options: ProxyServerOptions = {}): Promise<ProxyServer> {
  const host = options.host ?? '127.0.0.1';
  if (!options.allowRemote && !isLoopbackAddress(host)) {
    throw badInput(
      `refusing to serve the proxy admin API on non-loopback host ${host}: ` +
        'anyone who reaches it can reroute traffic; pass allowRemote (--allow-remote) to do it anyway',
    );
  }
  const collection = new ProxyCollection(options.allowRemote, options.seed);
  const api: ApiContext = {
    collection,
    metrics: new ProxyMetrics(() => collection.proxies),
    version: packageVersion(),
  };
  const server = createAdminServer(api, options);
  const wanted = options.port ?? 8474;
  const port = await listen(server, host, wanted).catch((error: NodeJS.ErrnoException) => {
    throw listenError(error, hostPort(host, wanted));
  });
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= collection.close().then(() => closeServer(server)));
  if (options.signal?.aborted) await close();
  options.signal?.addEventListener('abort', () => void close(), { once: true });
  return {
    url: `http://${hostPort(host, port)}`,
    port,
    proxies: collection.proxies,
    populate: async (specs) => {
      const result = await collection.populate(parsePopulate(specs));
      if (result.error !== undefined) throw result.error;
      return result.proxies;
    },
    reset: () => collection.reset(),
    onWireRequest: (listener) => collection.wire.subscribe(listener),
    close,
  };
}

function createAdminServer(api: ApiContext, options: ProxyServerOptions): Server {
  const guard = { token: options.token, maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES };
  const onInternalError = options.onInternalError ?? (() => undefined);
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (req, res) => {
    handleRequest(api, guard, req, onInternalError)
      .then((reply) => writeReply(res, reply))
      .catch(onInternalError);
  });
  server.on('clientError', answerClientError);
  return server;
}

/** Our package version, answered by GET /version (same path from src/ and dist/). */
function packageVersion(): string {
  try {
    const manifest = new URL('../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** Requests Node's parser refused before any handler saw them still get `{error, status}`. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const payload = JSON.stringify(errorReply(status, 'malformed HTTP request').body);
  socket.end(
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n` +
      `Connection: close\r\n\r\n${payload}`,
  );
}

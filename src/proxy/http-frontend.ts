/**
 * The http-mode data path. The proxy's listener hands each client socket to
 * handle(); an internal node:http server (never listening itself) parses
 * requests on it, keep-alive and pipelining included, and Node writes the
 * answers back in request order. Each request then goes:
 *
 *   client ──► plan toxics ──► upstream delays ──► forward (keep-alive agent) ──► upstream
 *   client ◄── deliver ◄── downstream delays ◄───────── response ◄─────────────── upstream
 *
 * where a toxic may answer, hold or reset before forwarding, or hold, reset
 * or drop after the upstream answered (see http/serve.ts). Counters follow
 * ProxyStats: every request read ends in exactly one outcome. Each request
 * is named `<proxy>-<n>` and sent upstream with that id in REQUEST_ID_HEADER;
 * its one end also becomes a WireRequest record when anyone subscribed.
 */
import { Agent, createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { FrontendContext } from './http/context.js';
import { endForFate, type ClientConnection } from './http/outcome.js';
import { serveRequest } from './http/serve.js';
import type { ProxyRuntime } from './runtime.js';
import { WireTap } from './wire-tap.js';

export interface HttpFrontend {
  /** Serves HTTP on an accepted client socket. */
  handle(socket: Socket): void;
  /**
   * Closes every client connection: 'graceful' ends idle ones and lets
   * in-flight requests finish (for at most gracefulCloseMs), 'reset' resets
   * them all at once (the proxy was disabled). The front end may be handed
   * new sockets afterwards, when the proxy listens again.
   */
  close(how: 'graceful' | 'reset'): Promise<void>;
  /**
   * The proxy's toxics changed: connections held by a toxic that is gone are
   * closed, as Toxiproxy's timeout toxic closes its connection when removed,
   * so a healed fault leaves no request hanging on until its client gives up.
   */
  toxicsChanged(): void;
}

export interface HttpFrontendOptions {
  /** Randomness for jitter; default the proxy's own. */
  random?: () => number;
  /** How long a graceful close waits for in-flight requests before destroying their sockets, ms; default 2000. */
  gracefulCloseMs?: number;
  /** Receives a WireRequest per request when anyone subscribed to it; default a tap of its own that nobody hears. */
  wire?: WireTap;
}

/** The http front end of one proxy. */
export function createHttpFrontend(
  runtime: ProxyRuntime,
  options: HttpFrontendOptions = {},
): HttpFrontend {
  const random = options.random ?? runtime.random;
  const gracefulCloseMs = options.gracefulCloseMs ?? 2000;
  const connections = new Map<Socket, ClientConnection>();
  const drainWaiters = new Set<() => void>();
  let agent = newAgent();
  let closing = false;
  // Read once: Proxy.spec builds a copy on every read, and a proxy's name never changes.
  const proxyName = runtime.spec.name;
  const wire = options.wire ?? new WireTap();

  const context: FrontendContext = {
    runtime,
    sink: { stats: runtime.stats, proxy: proxyName, wire },
    nextRequestId: () => wire.nextRequestId(proxyName),
    random,
    agent: () => agent,
    closing: () => closing,
    responseDone: (connection) => {
      if (closing && connection.pendingResponses === 0) endSocket(connection.socket);
    },
    reset: (connection) => resetConnection(connection, 'reset'),
    closeHeld: (connection) => {
      connection.fate ??= 'timeout';
      endSocket(connection.socket);
    },
  };

  function resetConnection(connection: ClientConnection, fate: 'reset' | 'disabled'): void {
    if (connection.socket.destroyed) return;
    connection.fate ??= fate;
    runtime.stats.connections.reset += 1;
    connection.socket.resetAndDestroy();
  }

  // No request or keep-alive timeouts: the client's and the upstream's own timeouts are under test.
  const server = createServer({ requireHostHeader: false, keepAliveTimeout: 0 }, (req, res) => {
    const connection = connections.get(req.socket);
    if (!connection) return void res.destroy();
    serveRequest(context, connection, req, res).catch(() => {
      // Not expected. Breaking the connection tells the client, and its close handler settles the request.
      res.destroy();
    });
  });

  function onSocketClose(connection: ClientConnection): void {
    const { stats } = runtime;
    connections.delete(connection.socket);
    stats.connections.active -= 1;
    const resetByUs = connection.fate === 'reset' || connection.fate === 'disabled';
    if (connection.held && !resetByUs) stats.connections.timedOut += 1;
    for (const outcome of [...connection.open]) outcome.settle(endForFate(connection.fate));
    if (connections.size === 0) for (const wake of drainWaiters) wake();
  }

  function handle(socket: Socket): void {
    if (closing) return void socket.destroy();
    const { stats } = runtime;
    stats.connections.accepted += 1;
    stats.connections.active += 1;
    const connection: ClientConnection = { socket, open: new Set(), pendingResponses: 0 };
    connections.set(socket, connection);
    // Registered before the http server's own listener, so outcomes settle by our fate first.
    socket.once('close', () => onSocketClose(connection));
    socket.setNoDelay(true);
    server.emit('connection', socket);
  }

  async function close(how: 'graceful' | 'reset'): Promise<void> {
    closing = true;
    for (const connection of connections.values()) {
      if (how === 'reset') resetConnection(connection, 'disabled');
      else if (connection.pendingResponses === 0) endSocket(connection.socket);
    }
    if (!(await drained(gracefulCloseMs))) {
      for (const connection of connections.values()) connection.socket.destroy();
      await drained(gracefulCloseMs);
    }
    agent.destroy();
    agent = newAgent();
    closing = false;
  }

  /** Resolves true once no client connection is left, false after timeoutMs. */
  function drained(timeoutMs: number): Promise<boolean> {
    if (connections.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (empty: boolean) => {
        clearTimeout(timer);
        drainWaiters.delete(wake);
        resolve(empty);
      };
      const wake = () => finish(true);
      const timer = setTimeout(() => finish(false), timeoutMs);
      timer.unref();
      drainWaiters.add(wake);
    });
  }

  function toxicsChanged(): void {
    const current = new Set(
      [...runtime.toxics('upstream'), ...runtime.toxics('downstream')].map((toxic) => toxic.name),
    );
    for (const connection of connections.values()) {
      if (connection.heldBy !== undefined && !current.has(connection.heldBy)) {
        context.closeHeld(connection);
      }
    }
  }

  return { handle, close, toxicsChanged };
}

/** Keep-alive to the upstream, as a trading engine's own client would have. */
function newAgent(): Agent {
  return new Agent({ keepAlive: true });
}

/** FIN, then release the socket once it is flushed, without waiting for the client's FIN. */
function endSocket(socket: Socket): void {
  if (socket.destroyed) return;
  socket.end(() => socket.destroy());
}

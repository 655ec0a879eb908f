import { request, type Agent, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { ProxyStats } from '../model.js';
import { hasRequestBody, upstreamRequestHeaders } from './headers.js';

/** The upstream's answer (headers read, body still streaming), or why there is none. */
export type ForwardResult =
  | { ok: true; response: IncomingMessage }
  | { ok: false; reason: 'refused' | 'upstreamError'; error: Error };

export interface ForwardOptions {
  agent: Agent;
  target: { host: string; port: number };
  stats: ProxyStats;
  /** The request as the proxy tracks it: its id goes upstream, and `forwarded` is set here. */
  tracked: { readonly requestId: string; forwarded: boolean };
}

/**
 * Sends one client request to the upstream over the keep-alive agent,
 * streaming its body, and resolves once the upstream's response headers
 * arrive. `forwarded` is counted (and set on the tracked request) when the
 * request is on a connected upstream socket, so a refused connection is
 * never counted as forwarded.
 *
 * A pooled socket the upstream closed while idle fails with ECONNRESET on
 * reuse; a GET or HEAD is then retried once on a fresh socket, so an
 * idle-timeout race is not reported as an upstream failure. Nothing else is
 * ever replayed: a POST or DELETE (an order, a cancel) may have reached the
 * exchange, and a proxy that sends it twice would itself duplicate orders.
 */
export function forwardRequest(
  client: IncomingMessage,
  options: ForwardOptions,
): Promise<ForwardResult> {
  const { stats, tracked } = options;
  const withBody = hasRequestBody(client.headers);
  const replayable = (client.method === 'GET' || client.method === 'HEAD') && !withBody;
  const countForwarded = () => {
    if (tracked.forwarded) return;
    tracked.forwarded = true;
    stats.requests.forwarded += 1;
  };
  return new Promise((resolve) => {
    const attempt = (retries: number) => {
      const upstream = request({
        host: options.target.host,
        port: options.target.port,
        method: client.method,
        path: client.url,
        headers: upstreamRequestHeaders(client.headers, options.target, tracked.requestId),
        agent: options.agent,
        setHost: false,
      });
      let answered = false;
      upstream.once('socket', (socket: Socket) => {
        if (socket.connecting) socket.once('connect', countForwarded);
        else countForwarded();
      });
      upstream.once('response', (response) => {
        answered = true;
        resolve({ ok: true, response });
      });
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (answered) return; // the response stream reports failures from here on
        if (retries > 0 && replayable && upstream.reusedSocket && error.code === 'ECONNRESET') {
          attempt(retries - 1);
          return;
        }
        resolve({
          ok: false,
          reason: error.code === 'ECONNREFUSED' ? 'refused' : 'upstreamError',
          error,
        });
      });
      if (!withBody) {
        upstream.end();
        return;
      }
      client.on('data', (chunk: Buffer) => {
        stats.bytes.upstream += chunk.length;
      });
      // A client that went away mid-body would leave the upstream waiting for the rest.
      client.once('close', () => {
        if (!client.complete) upstream.destroy();
      });
      client.pipe(upstream);
    };
    attempt(1);
  });
}

import { parseRetryAfterS } from '../../common/index.js';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { hostPort } from '../../common/index.js';
import { REQUEST_ID_HEADER } from '../../evidence/model.js';

/** Response headers as either side holds them: Node's (lower-case names) or a toxic's (as configured). */
export type HeaderBag = Readonly<Record<string, string | string[] | number | undefined>>;

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, not the
 * message, so a proxy must not pass them on; Node frames each side itself.
 * `expect` too: the front end has already answered `100 Continue`.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
]);

/** Copies end-to-end headers: drops hop-by-hop ones and any the Connection header names. */
export function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  const copy: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    copy[name] = value;
  }
  return copy;
}

/**
 * Headers for the upstream request: end-to-end ones, Host rewritten to the
 * upstream (virtual hosts and signature checks expect their own name), the
 * proxy's request id (replacing any the client sent, so a client cannot
 * forge the id the judge joins on), and chunked framing kept when the client
 * streamed a body without a length, since Node would otherwise send a GET or
 * DELETE body unframed.
 */
export function upstreamRequestHeaders(
  headers: IncomingHttpHeaders,
  target: { host: string; port: number },
  requestId: string,
): OutgoingHttpHeaders {
  const copy = endToEndHeaders(headers);
  copy.host = hostPort(target.host, target.port);
  copy[REQUEST_ID_HEADER] = requestId;
  if (headers['transfer-encoding'] !== undefined && headers['content-length'] === undefined) {
    copy['transfer-encoding'] = 'chunked';
  }
  return copy;
}

/** True when the request carries a body to stream (and so cannot be replayed). */
export function hasRequestBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = Number(headers['content-length'] ?? 0);
  return length > 0;
}

/**
 * The `Retry-After` of an answer in seconds; null when absent or not one.
 * Names are matched in any case: a toxic keeps the case it was configured with.
 */
export function retryAfterS(headers: HeaderBag): number | null {
  let value = headers['retry-after'];
  if (value === undefined) {
    for (const name in headers) {
      if (name.toLowerCase() === 'retry-after') value = headers[name];
    }
  }
  return parseRetryAfterS(value) ?? null;
}

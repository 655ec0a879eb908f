import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FrontendContext } from './context.js';
import { endToEndHeaders } from './headers.js';
import type { RequestOutcome } from './outcome.js';

/** Streams the upstream's answer to the client; `answered` once the last byte is written. */
export function deliver(
  context: FrontendContext,
  res: ServerResponse,
  outcome: RequestOutcome,
  response: IncomingMessage,
): void {
  const stats = context.runtime.stats;
  const headers = endToEndHeaders(response.headers);
  const status = response.statusCode ?? 502;
  writeHead(context, res, status, headers, response.statusMessage);
  response.on('data', (chunk: Buffer) => {
    stats.bytes.downstream += chunk.length;
  });
  response.once('close', () => {
    // The upstream failed mid-body: the client can only learn it from a broken connection,
    // so it got no answer (no status) even if the status line went out.
    if (!response.complete && outcome.settle('upstreamError')) res.destroy();
  });
  outcome.signal.addEventListener('abort', () => {
    if (!response.complete) response.destroy();
  });
  res.once('finish', () => outcome.settle('answered', status, response.headers));
  response.pipe(res);
}

/** Answers with an http_status toxic's response; the upstream never sees the request. */
export function respondInjected(
  context: FrontendContext,
  res: ServerResponse,
  outcome: RequestOutcome,
  injected: { status: number; headers: Record<string, string>; body: string },
): void {
  outcome.settle('injectedStatus', injected.status, injected.headers);
  const headers = { ...injected.headers, 'content-length': Buffer.byteLength(injected.body) };
  writeHead(context, res, injected.status, headers);
  res.end(injected.body);
}

/** 502 in Toxiproxy's error shape, when the upstream refused or failed before answering. */
export function badGateway(
  context: FrontendContext,
  res: ServerResponse,
  outcome: RequestOutcome,
  reason: 'refused' | 'upstreamError',
): void {
  if (!outcome.settle(reason, 502)) return;
  const body = JSON.stringify({
    error: reason === 'refused' ? 'upstream refused' : 'upstream error',
    status: 502,
  });
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  writeHead(context, res, 502, headers);
  res.end(body);
}

function writeHead(
  context: FrontendContext,
  res: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders,
  reason?: string,
): void {
  // While the front end closes, tell the client not to send more on this connection.
  if (context.closing()) headers.connection = 'close';
  if (reason === undefined) res.writeHead(status, headers);
  else res.writeHead(status, reason, headers);
}

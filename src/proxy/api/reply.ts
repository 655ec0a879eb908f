import type { ServerResponse } from 'node:http';
import { ProxyError } from '../errors.js';

/** A response before it is written: status, body (JSON unless `text`) and extra headers. */
export interface Reply {
  status: number;
  /** Serialised as JSON; omitted for 204. */
  body?: unknown;
  /** A plain-text body instead of JSON (Prometheus exposition). */
  text?: { contentType: string; content: string };
  headers?: Record<string, string>;
}

export const json = (status: number, body: unknown): Reply => ({ status, body });

export const noContent = (): Reply => ({ status: 204 });

/**
 * An error in Toxiproxy's `{"error": ..., "status": N}` shape. Takes any
 * status, because a few (405) are the router's alone and never a ProxyError.
 */
export function errorReply(
  status: number,
  message: string,
  headers?: Record<string, string>,
): Reply {
  return { status, body: { error: message, status }, ...(headers && { headers }) };
}

/** ProxyErrors answer with their own status; anything else is our bug, a well-formed 500. */
export function replyForError(error: unknown): Reply {
  if (error instanceof ProxyError) return { status: error.status, body: error.toBody() };
  return errorReply(500, 'internal error');
}

export function writeReply(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = { ...reply.headers };
  let payload = '';
  if (reply.text) {
    payload = reply.text.content;
    headers['Content-Type'] = reply.text.contentType;
  } else if (reply.status !== 204) {
    payload = JSON.stringify(reply.body ?? null);
    headers['Content-Type'] = 'application/json';
  }
  headers['Content-Length'] = Buffer.byteLength(payload);
  res.writeHead(reply.status, headers);
  res.end(payload);
}

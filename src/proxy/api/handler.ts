import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { parseJson, readBody } from './body.js';
import { errorReply, replyForError, type Reply } from './reply.js';
import type { ApiContext } from './route.js';
import { route } from './router.js';

export interface GuardOptions {
  /** When set, every request must send `Authorization: Bearer <token>`. */
  token: string | undefined;
  /** Largest request body in bytes. */
  maxBodyBytes: number;
}

/**
 * Answers one admin request: guards, routing, handler, and every failure as
 * `{error, status}`. It never throws; an unexpected exception becomes a
 * well-formed 500 and is passed to onInternalError.
 */
export async function handleRequest(
  api: ApiContext,
  guard: GuardOptions,
  req: IncomingMessage,
  onInternalError: (error: unknown) => void,
): Promise<Reply> {
  const refused = refuse(req, guard.token);
  if (refused) return refused;
  const method = req.method ?? 'GET';
  const match = route(method, req.url ?? '/');
  if (!('handler' in match)) return match;
  const request = {
    method,
    params: match.params,
    json: async () => parseJson(await readBody(req, guard.maxBodyBytes)),
  };
  try {
    return await match.handler(api, request);
  } catch (error) {
    const reply = replyForError(error);
    if (reply.status >= 500) onInternalError(error);
    return reply;
  }
}

/**
 * Toxiproxy refuses browsers (User-Agent "Mozilla/…"): a web page must not
 * be able to reconfigure a proxy on localhost. Then the bearer token, if any.
 */
function refuse(req: IncomingMessage, token: string | undefined): Reply | undefined {
  if (req.headers['user-agent']?.startsWith('Mozilla/'))
    return errorReply(403, 'User agent not allowed');
  if (token === undefined) return undefined;
  const header = req.headers.authorization ?? '';
  const given = /^Bearer (.+)$/i.exec(header)?.[1] ?? '';
  if (sameSecret(given, token)) return undefined;
  return errorReply(401, 'missing or invalid bearer token', { 'WWW-Authenticate': 'Bearer' });
}

/** Constant-time comparison; hashing first makes the lengths equal. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

import type { IncomingMessage } from 'node:http';
import { BinanceError, ErrorCode } from '../errors.js';
import type { RateDecision, RateLimiter, RateLimits } from '../rate-limiter.js';
import type { Venue } from '../venue.js';
import { handleAdmin, type AdminRuntime } from './admin.js';
import { authenticate } from './auth.js';
import { marketRoutes } from './market-routes.js';
import { Params } from './params.js';
import { errorReply, internalErrorReply, type Reply } from './reply.js';
import type { Route, RouteContext } from './route.js';
import { tradeRoutes } from './trade-routes.js';

const ROUTES: ReadonlyMap<string, Route> = new Map(
  Object.entries({ ...marketRoutes, ...tradeRoutes }),
);
const KNOWN_PATHS = new Set([...ROUTES.keys()].map((key) => key.slice(key.indexOf(' ') + 1)));

export interface HttpRuntime {
  venue: Venue;
  rateLimiter: RateLimiter;
  rateLimits: RateLimits;
  admin: AdminRuntime;
  /** Told of any unexpected exception (a bug); the client gets a well-formed 500. */
  onInternalError?: (error: unknown) => void;
}

/** Turns one request (with its body already read) into a reply; never throws. */
export function handleRequest(runtime: HttpRuntime, req: IncomingMessage, rawBody: string): Reply {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart < 0 ? url : url.slice(0, queryStart);
  const rawQuery = queryStart < 0 ? '' : url.slice(queryStart + 1);
  const method = req.method ?? 'GET';
  try {
    if (path.startsWith('/__admin/')) {
      return handleAdmin(
        method,
        path,
        rawQuery,
        req.headers,
        req.socket.remoteAddress,
        runtime.admin,
      );
    }
    const route = ROUTES.get(`${method} ${path}`);
    if (!route) return unknownEndpoint(method, path);
    return handleRoute(runtime, route, req, rawQuery, rawBody);
  } catch (error) {
    if (error instanceof BinanceError) return errorReply(error);
    runtime.onInternalError?.(error);
    return internalErrorReply();
  }
}

function handleRoute(
  runtime: HttpRuntime,
  route: Route,
  req: IncomingMessage,
  rawQuery: string,
  rawBody: string,
): Reply {
  const { venue } = runtime;
  let params: Params | undefined;
  let badParams: unknown;
  try {
    params = Params.parse(rawQuery, rawBody);
  } catch (error) {
    badParams = error;
  }
  const header = req.headers['x-mbx-apikey'];
  const apiKey = typeof header === 'string' ? header : undefined;
  // Limits count per account for known keys, per client address otherwise.
  const client =
    apiKey !== undefined && venue.account(apiKey)
      ? `key:${apiKey}`
      : `ip:${req.socket.remoteAddress}`;
  const decision = runtime.rateLimiter.charge(
    client,
    params ? route.weight(params) : 1,
    route.placesOrder === true,
  );
  const headers: Record<string, number> = { 'X-MBX-USED-WEIGHT-1M': decision.usedWeight };
  if (route.placesOrder) headers['X-MBX-ORDER-COUNT-10S'] = decision.orderCount;
  if (!decision.allowed) return rateLimitedReply(decision, runtime.rateLimits, headers);
  try {
    if (!params) throw badParams;
    const context: RouteContext = {
      venue,
      rateLimits: runtime.rateLimits,
      account: undefined,
      now: venue.now(),
    };
    if (route.security === 'SIGNED') {
      context.account = authenticate(
        { apiKey, rawQuery, rawBody, params, now: context.now },
        (key) => venue.account(key),
      );
    }
    const input = route.parse(params, context);
    params.assertAllRead();
    return { status: 200, body: route.execute(input, context), headers };
  } catch (error) {
    if (error instanceof BinanceError) return errorReply(error, headers);
    throw error;
  }
}

function rateLimitedReply(
  decision: Extract<RateDecision, { allowed: false }>,
  limits: RateLimits,
  headers: Record<string, number>,
): Reply {
  const withRetry = { ...headers, 'Retry-After': decision.retryAfterS };
  let error: BinanceError;
  if (decision.status === 418) {
    error = new BinanceError(
      ErrorCode.TOO_MANY_REQUESTS,
      `Way too much request weight used; IP banned until ${decision.until}. Please use WebSocket Streams for live updates to avoid bans.`,
      418,
    );
  } else if (decision.reason === 'orders') {
    error = new BinanceError(
      ErrorCode.TOO_MANY_ORDERS,
      `Too many new orders; current limit is ${limits.ordersPer10s} orders per 10 SECOND.`,
      429,
    );
  } else {
    error = new BinanceError(
      ErrorCode.TOO_MANY_REQUESTS,
      `Too much request weight used; current limit is ${limits.weightPerMinute} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
      429,
    );
  }
  return errorReply(error, withRetry);
}

function unknownEndpoint(method: string, path: string): Reply {
  if (KNOWN_PATHS.has(path)) {
    return errorReply(
      new BinanceError(ErrorCode.UNKNOWN, `Method ${method} is not supported on ${path}.`, 405),
    );
  }
  return errorReply(new BinanceError(ErrorCode.UNKNOWN, `Unknown endpoint ${path}.`, 404));
}

import type { IncomingMessage } from 'node:http';
import { BinanceError, ErrorCode } from '../errors.js';
import type { RateLimiter, RateLimits, Refusal } from '../rate-limiter.js';
import type { Venue } from '../venue.js';
import { handleAdmin, type AdminRuntime } from './admin.js';
import { authenticate } from './auth.js';
import { marketRoutes } from './market-routes.js';
import { weightInterval } from './market-json.js';
import { Params } from './params.js';
import { errorReply, internalErrorReply, type Reply } from './reply.js';
import type { RequestTap, RequestTrace } from './request-record.js';
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
  /** Subscribers to a record of every answered API request. */
  requests: RequestTap;
  /** Told of any unexpected exception (a bug); the client gets a well-formed 500. */
  onInternalError?: (error: unknown) => void;
}

/**
 * Turns one request (with its body already read) into a reply; never throws.
 * A trace, when given, learns the parsed parameters and whether the request
 * authenticated, for the request's record.
 */
export function handleRequest(
  runtime: HttpRuntime,
  req: IncomingMessage,
  rawBody: string,
  trace?: RequestTrace,
): Reply {
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
    return handleRoute(runtime, route, req, rawQuery, rawBody, trace);
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
  trace: RequestTrace | undefined,
): Reply {
  let params: Params | undefined;
  let badParams: unknown;
  try {
    params = Params.parse(rawQuery, rawBody);
  } catch (error) {
    badParams = error;
  }
  if (trace) trace.params = params;
  // Weight counts per client address, as on the venue; a request too malformed to weigh costs 1.
  const address = req.socket.remoteAddress ?? 'unknown';
  const weight = runtime.rateLimiter.chargeWeight(address, params ? route.weight(params) : 1);
  const headers: Record<string, number> = {
    [usedWeightHeader(runtime.rateLimits.weightWindowSeconds)]: weight.usedWeight,
  };
  if (!weight.allowed) return rateLimitedReply(weight, runtime.rateLimits, headers);
  try {
    if (!params) throw badParams;
    const header = req.headers['x-mbx-apikey'];
    const apiKey = typeof header === 'string' ? header : undefined;
    return runRoute(runtime, route, { apiKey, rawQuery, rawBody, params, trace }, headers);
  } catch (error) {
    if (error instanceof BinanceError) return errorReply(error, headers);
    throw error;
  }
}

/** Authenticates, validates and executes; `headers` gains the order count on order routes. */
function runRoute(
  runtime: HttpRuntime,
  route: Route,
  request: {
    apiKey: string | undefined;
    rawQuery: string;
    rawBody: string;
    params: Params;
    trace: RequestTrace | undefined;
  },
  headers: Record<string, number>,
): Reply {
  const { venue, rateLimiter, rateLimits } = runtime;
  const context: RouteContext = { venue, rateLimits, account: undefined, now: venue.now() };
  if (route.security === 'SIGNED') {
    const signed = {
      apiKey: request.apiKey,
      rawQuery: request.rawQuery,
      rawBody: request.rawBody,
      params: request.params,
      now: context.now,
    };
    context.account = authenticate(signed, (key) => venue.account(key));
    if (request.trace) request.trace.signed = true;
  }
  const input = route.parse(request.params, context);
  request.params.assertAllRead();
  if (route.placesOrder && context.account) {
    const orders = rateLimiter.countOrder(context.account.apiKey);
    headers['X-MBX-ORDER-COUNT-10S'] = orders.orderCount;
    if (!orders.allowed) return rateLimitedReply(orders, rateLimits, headers);
  }
  return { status: 200, body: route.execute(input, context), headers };
}

function rateLimitedReply(
  refusal: Refusal,
  limits: RateLimits,
  headers: Record<string, number>,
): Reply {
  const withRetry = { ...headers, 'Retry-After': refusal.retryAfterS };
  let error: BinanceError;
  if (refusal.status === 418) {
    error = new BinanceError(
      ErrorCode.TOO_MANY_REQUESTS,
      `Way too much request weight used; IP banned until ${refusal.until}. Please use WebSocket Streams for live updates to avoid bans.`,
      418,
    );
  } else if (refusal.reason === 'orders') {
    error = new BinanceError(
      ErrorCode.TOO_MANY_ORDERS,
      `Too many new orders; current limit is ${limits.ordersPer10s} orders per 10 SECOND.`,
      429,
    );
  } else {
    error = new BinanceError(
      ErrorCode.TOO_MANY_REQUESTS,
      `Too much request weight used; current limit is ${limits.weightLimit} request weight per ${describeInterval(limits.weightWindowSeconds)}. Please use WebSocket Streams for live updates to avoid polling the API.`,
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

function describeInterval(seconds: number): string {
  const { interval, intervalNum } = weightInterval(seconds);
  return `${intervalNum} ${interval}`;
}

/** Binance names the header after its window: X-MBX-USED-WEIGHT-1M, or -3S for a 3-second window. */
function usedWeightHeader(windowSeconds: number): string {
  const { interval, intervalNum } = weightInterval(windowSeconds);
  return `X-MBX-USED-WEIGHT-${intervalNum}${interval[0]}`;
}

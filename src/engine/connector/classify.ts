import ccxt from 'ccxt';
import { responseInfoOf } from './instrument.js';
import type { FailureKind, VenueFailure, VenueOperation } from './venue-client.js';

/** A failed venue request: what it means for the order is in `failure`; `cause` is the original error. */
export class VenueError extends Error {
  override readonly name = 'VenueError';

  constructor(
    readonly failure: VenueFailure,
    readonly operation: VenueOperation | undefined,
    options: { cause?: unknown; message?: string } = {},
  ) {
    super(options.message ?? describe(failure, operation, options.cause), { cause: options.cause });
  }

  /** Shorthand for failure.kind. */
  get kind(): FailureKind {
    return this.failure.kind;
  }
}

function describe(
  failure: VenueFailure,
  operation: VenueOperation | undefined,
  cause: unknown,
): string {
  const parts = [
    operation ?? 'request',
    failure.kind,
    failure.errorClass,
    failure.httpStatus !== undefined ? `HTTP ${failure.httpStatus}` : undefined,
    failure.venueCode !== undefined ? `code ${failure.venueCode}` : undefined,
  ];
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return parts.filter((part) => part !== undefined).join(' ') + detail;
}

/** Node / undici codes of connections that were never made: the request did not leave. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ConnectionRefused',
]);

/** Binance codes that say the venue has no such order (-2011 on cancel also covers one no longer open). */
const NOT_FOUND_CODES = new Set([-2011, -2013]);
/** Binance codes that say the venue does not know what happened ("execution status unknown"). */
const UNKNOWN_OUTCOME_CODES = new Set([-1000, -1006, -1007]);
const RATE_LIMIT_CODES = new Set([-1003, -1015]);
const NEW_ORDER_REJECTED = -2010;

/**
 * What a failed venue request means, from the error's class, the HTTP status
 * and the venue code captured by instrument(), and a Node error code in the
 * `cause` chain; never from message text. Order matters: transport first
 * (no answer), then the status and code the venue answered with, then the
 * ccxt class for errors raised before anything was sent.
 */
export function classifyVenueError(error: unknown): VenueFailure {
  if (error instanceof VenueError) return error.failure;
  const info = responseInfoOf(error);
  const base = {
    httpStatus: info?.httpStatus,
    venueCode: info?.venueCode,
    retryAfterMs: info?.retryAfterMs,
    errorClass: errorClassOf(error),
  };
  // The caller gave up on a request already under way: it may or may not have taken effect.
  if (info?.callerAborted) return { ...base, kind: 'ambiguous', errorClass: 'CallerAborted' };
  const transportCode = nodeErrorCode(error);
  if (transportCode !== undefined) {
    const kind = NOT_SENT_CODES.has(transportCode) ? 'not_sent' : 'ambiguous';
    return { ...base, kind, errorClass: `${base.errorClass}(${transportCode})` };
  }
  return { ...base, kind: kindOf(error, base.httpStatus, base.venueCode) };
}

function kindOf(
  error: unknown,
  httpStatus: number | undefined,
  venueCode: number | undefined,
): FailureKind {
  if (httpStatus === 429 || httpStatus === 418) return 'rate_limited';
  if (venueCode !== undefined && RATE_LIMIT_CODES.has(venueCode)) return 'rate_limited';
  if (venueCode !== undefined && NOT_FOUND_CODES.has(venueCode)) {
    // Binance also answers -2011 for accounts that may not cancel: a refusal, not an absence.
    return error instanceof ccxt.AuthenticationError ? 'rejected' : 'not_found';
  }
  if (venueCode === NEW_ORDER_REJECTED) return newOrderRejected(error);
  if (venueCode !== undefined && UNKNOWN_OUTCOME_CODES.has(venueCode)) return 'ambiguous';
  if (httpStatus !== undefined) return kindOfStatus(error, httpStatus);
  return kindOfClass(error);
}

/**
 * -2010 is every kind of new-order refusal, told apart on Binance only by its
 * message. ccxt maps the messages it knows to subclasses (InsufficientFunds,
 * OrderImmediatelyFillable, PermissionDenied …): those are refusals. A plain
 * InvalidOrder is "Duplicate order sent." or a refusal ccxt has no class for;
 * it is reported as duplicate, the safe reading (the engine then queries the
 * order rather than believing it never existed). CcxtVenueClient confirms it.
 */
function newOrderRejected(error: unknown): FailureKind {
  if (error instanceof ccxt.DuplicateOrderId) return 'duplicate';
  const plainInvalidOrder =
    error instanceof ccxt.InvalidOrder &&
    Object.getPrototypeOf(error) === ccxt.InvalidOrder.prototype;
  return plainInvalidOrder ? 'duplicate' : 'rejected';
}

function kindOfStatus(error: unknown, httpStatus: number): FailureKind {
  if (httpStatus >= 500) return 'ambiguous';
  // 408: the venue gave up waiting; whether it acted is not said.
  if (httpStatus === 408) return 'ambiguous';
  if (httpStatus >= 400) return error instanceof ccxt.OrderNotFound ? 'not_found' : 'rejected';
  // An error after a 2xx/3xx answer (unreadable body, redirect): sent, outcome unknown.
  return 'ambiguous';
}

/** No HTTP answer was seen: ccxt's class says whether anything was sent. */
function kindOfClass(error: unknown): FailureKind {
  if (error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.DDoSProtection)
    return 'rate_limited';
  if (error instanceof ccxt.NetworkError) return 'ambiguous';
  if (error instanceof ccxt.OrderNotFound) return 'not_found';
  if (error instanceof ccxt.DuplicateOrderId) return 'duplicate';
  // ccxt refused before sending (ArgumentsRequired, BadSymbol, NotSupported …): final, like a venue refusal.
  if (error instanceof ccxt.ExchangeError) return 'rejected';
  // Anything else (a bug, an unexpected throw mid-request): nothing says it was not sent.
  return 'ambiguous';
}

/** The ccxt exception class name (ccxt sets `name` to it), else the error's name. */
function errorClassOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** The first string `code` along the cause chain (a Node or undici error code). */
export function nodeErrorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

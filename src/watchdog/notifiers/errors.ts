import { messageOf } from '../../common/index.js';
/**
 * Why a delivery failed, classified by code so the dispatcher decides on
 * retries from data, never from message text.
 *
 * - `NETWORK`: no answer (refused, reset, DNS); retryable.
 * - `TIMEOUT`: the attempt ran out of time; retryable.
 * - `RATE_LIMITED`: the endpoint answered 429; retryable after `retryAfterMs`.
 * - `SERVER`: the endpoint answered 5xx; retryable.
 * - `REJECTED`: the endpoint answered another 4xx (bad payload, deleted webhook); not retryable.
 * - `ABORTED`: the caller gave up (the dispatcher is closing); not retryable.
 * - `INVALID_CONFIG`: the notifier cannot be built (bad URL, unknown kind).
 * - `UNKNOWN`: a notifier threw something else; not retryable, as nothing says a retry is safe.
 */
export type NotifierErrorCode =
  | 'NETWORK'
  | 'TIMEOUT'
  | 'RATE_LIMITED'
  | 'SERVER'
  | 'REJECTED'
  | 'ABORTED'
  | 'INVALID_CONFIG'
  | 'UNKNOWN';

const RETRYABLE: ReadonlySet<NotifierErrorCode> = new Set([
  'NETWORK',
  'TIMEOUT',
  'RATE_LIMITED',
  'SERVER',
]);

/** Extra facts about a failure. */
export interface NotifierErrorDetails {
  /** HTTP status, when the endpoint answered. */
  status?: number;
  /** How long the endpoint asked us to wait (Retry-After), ms, uncapped. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** A failed delivery (or a notifier that cannot be built). */
export class NotifierError extends Error {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  /** True when trying again may succeed: network errors, timeouts, 429 and 5xx. */
  readonly retryable: boolean;

  constructor(
    readonly code: NotifierErrorCode,
    message: string,
    details: NotifierErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'NotifierError';
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.retryable = RETRYABLE.has(code);
  }
}

/** The code an HTTP status maps to; undefined for success (2xx). */
export function codeForStatus(status: number): NotifierErrorCode | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'SERVER';
  return 'REJECTED';
}

/** Anything a notifier threw, as a NotifierError (foreign errors become UNKNOWN). */
export function toNotifierError(error: unknown): NotifierError {
  if (error instanceof NotifierError) return error;
  return new NotifierError('UNKNOWN', messageOf(error), { cause: error });
}

/**
 * The error for an attempt whose signal aborted: TIMEOUT when the attempt's
 * own time limit fired (reason named TimeoutError), ABORTED otherwise.
 */
export function abortedError(signal: AbortSignal, cause?: unknown): NotifierError {
  const timedOut = (signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError';
  return timedOut
    ? new NotifierError('TIMEOUT', 'endpoint did not answer in time', { cause })
    : new NotifierError('ABORTED', 'delivery aborted', { cause });
}

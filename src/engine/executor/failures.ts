import { BrokenCircuitError, BulkheadRejectedError, TaskCancelledError } from 'cockatiel';
import { VenueError, type VenueFailure } from '../connector/index.js';

/**
 * What a failed attempt means, for any error the order path can throw: the
 * connector's classified VenueError, or the policies' own errors (an open
 * breaker, a cancelled wait), which all mean the request never left.
 */
export function failureOf(error: unknown): VenueFailure {
  if (error instanceof VenueError) return error.failure;
  const errorClass = errorName(error);
  if (
    error instanceof BrokenCircuitError ||
    error instanceof TaskCancelledError ||
    error instanceof BulkheadRejectedError ||
    errorClass === 'AbortError' ||
    errorClass === 'TimeoutError'
  ) {
    return notSent(errorClass);
  }
  // Anything else happened on our side of an unknown request: assume the worst.
  return {
    kind: 'ambiguous',
    httpStatus: undefined,
    venueCode: undefined,
    retryAfterMs: undefined,
    errorClass,
  };
}

function notSent(errorClass: string): VenueFailure {
  return {
    kind: 'not_sent',
    httpStatus: undefined,
    venueCode: undefined,
    retryAfterMs: undefined,
    errorClass,
  };
}

function errorName(error: unknown): string {
  if (error instanceof Error) return error.name === 'Error' ? error.constructor.name : error.name;
  return typeof error;
}

/** Short text for a journal `reason`: the venue code when there is one, else the failure class. */
export function reasonOf(failure: VenueFailure): string {
  if (failure.venueCode !== undefined) return `${failure.kind}:${failure.venueCode}`;
  if (failure.httpStatus !== undefined) return `${failure.kind}:http_${failure.httpStatus}`;
  return `${failure.kind}:${failure.errorClass}`;
}

/** Failures that are the venue's own answer: it is up, whatever it said. */
export function isVenueAnswer(error: Error): boolean {
  const { kind } = failureOf(error);
  return kind === 'rejected' || kind === 'not_found' || kind === 'duplicate';
}

/** Not-sent failures of our own making: waiting at our rate gate, or the caller giving up. */
const OWN_WAITS = new Set(['GateAborted', 'CallerAborted']);

/**
 * Failures that say the exchange itself is unwell, which count against its
 * breaker: no answer, or no connection. A request that gave up waiting at our
 * own rate gate says nothing about the exchange.
 */
export function isExchangeFault(error: Error): boolean {
  const failure = failureOf(error);
  if (failure.kind === 'ambiguous') return !OWN_WAITS.has(failure.errorClass);
  return (
    failure.kind === 'not_sent' && error instanceof VenueError && !OWN_WAITS.has(failure.errorClass)
  );
}

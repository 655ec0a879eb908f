import { BrokenCircuitError, BulkheadRejectedError, TaskCancelledError } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { VenueError, type VenueFailure } from '../connector/index.js';
import { failureOf, isExchangeFault, reasonOf } from './failures.js';

function failure(over: Partial<VenueFailure>): VenueFailure {
  return {
    kind: 'rejected',
    httpStatus: undefined,
    venueCode: undefined,
    retryAfterMs: undefined,
    errorClass: 'InvalidOrder',
    ...over,
  };
}

describe('failureOf', () => {
  it('passes a VenueError failure through unchanged', () => {
    const venueFailure = failure({ kind: 'rate_limited', httpStatus: 429, retryAfterMs: 2000 });
    expect(failureOf(new VenueError(venueFailure, 'placeOrder'))).toBe(venueFailure);
  });

  it.each([
    [new BrokenCircuitError(), 'BrokenCircuitError'],
    [new TaskCancelledError(), 'TaskCancelledError'],
    [new BulkheadRejectedError(1, 0), 'BulkheadRejectedError'],
    [new DOMException('aborted', 'AbortError'), 'AbortError'],
    [new DOMException('timed out', 'TimeoutError'), 'TimeoutError'],
  ])('says %s never left', (error, errorClass) => {
    expect(failureOf(error)).toEqual({
      kind: 'not_sent',
      httpStatus: undefined,
      venueCode: undefined,
      retryAfterMs: undefined,
      errorClass,
    });
  });

  it('treats anything else as ambiguous, named by its class', () => {
    expect(failureOf(new TypeError('boom'))).toMatchObject({
      kind: 'ambiguous',
      errorClass: 'TypeError',
    });
    class SocketGone extends Error {}
    expect(failureOf(new SocketGone())).toMatchObject({
      kind: 'ambiguous',
      errorClass: 'SocketGone',
    });
    expect(failureOf('text')).toMatchObject({ kind: 'ambiguous', errorClass: 'string' });
  });
});

describe('reasonOf', () => {
  it('prefers the venue code, then the HTTP status, then the class', () => {
    expect(reasonOf(failure({ venueCode: -2010, httpStatus: 400 }))).toBe('rejected:-2010');
    expect(reasonOf(failure({ kind: 'ambiguous', httpStatus: 503 }))).toBe('ambiguous:http_503');
    expect(reasonOf(failure({ kind: 'not_sent', errorClass: 'ECONNREFUSED' }))).toBe(
      'not_sent:ECONNREFUSED',
    );
  });
});

describe('isExchangeFault', () => {
  it('counts ambiguous failures and venue not_sent, not our own policies or refusals', () => {
    const venue = (kind: VenueFailure['kind']) => new VenueError(failure({ kind }), 'placeOrder');
    expect(isExchangeFault(venue('ambiguous'))).toBe(true);
    expect(isExchangeFault(venue('not_sent'))).toBe(true);
    expect(isExchangeFault(new Error('unknown'))).toBe(true);
    expect(isExchangeFault(venue('rejected'))).toBe(false);
    expect(isExchangeFault(venue('rate_limited'))).toBe(false);
    expect(isExchangeFault(new BrokenCircuitError())).toBe(false);
  });
});

describe('isExchangeFault and our own waits', () => {
  it('does not blame the exchange for a request that gave up at our rate gate', () => {
    const gate = new VenueError(
      {
        kind: 'not_sent',
        httpStatus: undefined,
        venueCode: undefined,
        retryAfterMs: undefined,
        errorClass: 'GateAborted',
      },
      'placeOrder',
    );
    const refused = new VenueError(
      {
        kind: 'not_sent',
        httpStatus: undefined,
        venueCode: undefined,
        retryAfterMs: undefined,
        errorClass: 'ECONNREFUSED',
      },
      'placeOrder',
    );
    expect(isExchangeFault(gate)).toBe(false);
    expect(isExchangeFault(refused)).toBe(true);
  });
});

import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { classifyVenueError, VenueError } from './classify.js';
import { attachResponseInfo, parseRetryAfterMs, type VenueResponseInfo } from './instrument.js';

/** A ccxt error as instrument() leaves it after the venue answered. */
function answered<E extends Error>(error: E, info: Partial<VenueResponseInfo>): E {
  attachResponseInfo(error, info);
  return error;
}

function withCause(error: Error, cause: unknown): Error {
  error.cause = cause;
  return error;
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`connect ${code}`), { code });
}

describe('classifyVenueError', () => {
  it.each([
    [
      '429 -1003 with Retry-After',
      new ccxt.DDoSProtection('x'),
      { httpStatus: 429, venueCode: -1003, retryAfterMs: 2000 },
      'rate_limited',
    ],
    [
      '418 ban',
      new ccxt.DDoSProtection('x'),
      { httpStatus: 418, retryAfterMs: 120_000 },
      'rate_limited',
    ],
    [
      '429 -1015 order rate (ccxt says InvalidOrder)',
      new ccxt.InvalidOrder('x'),
      { httpStatus: 429, venueCode: -1015 },
      'rate_limited',
    ],
    [
      '-2013 no such order',
      new ccxt.OrderNotFound('x'),
      { httpStatus: 400, venueCode: -2013 },
      'not_found',
    ],
    [
      '-2011 unknown order on cancel',
      new ccxt.OrderNotFound('x'),
      { httpStatus: 400, venueCode: -2011 },
      'not_found',
    ],
    [
      '-2011 from an account that may not cancel',
      new ccxt.AccountSuspended('x'),
      { httpStatus: 400, venueCode: -2011 },
      'rejected',
    ],
    [
      '-2010 plain InvalidOrder',
      new ccxt.InvalidOrder('x'),
      { httpStatus: 400, venueCode: -2010 },
      'duplicate',
    ],
    [
      '-2010 InsufficientFunds',
      new ccxt.InsufficientFunds('x'),
      { httpStatus: 400, venueCode: -2010 },
      'rejected',
    ],
    [
      '-2010 would take',
      new ccxt.OrderImmediatelyFillable('x'),
      { httpStatus: 400, venueCode: -2010 },
      'rejected',
    ],
    [
      '-2010 not permitted',
      new ccxt.PermissionDenied('x'),
      { httpStatus: 400, venueCode: -2010 },
      'rejected',
    ],
    [
      '-1013 filter failure',
      new ccxt.BadRequest('x'),
      { httpStatus: 400, venueCode: -1013 },
      'rejected',
    ],
    [
      '-1021 outside recvWindow (a NetworkError subclass)',
      new ccxt.InvalidNonce('x'),
      { httpStatus: 400, venueCode: -1021 },
      'rejected',
    ],
    [
      '-2015 bad key',
      new ccxt.AuthenticationError('x'),
      { httpStatus: 401, venueCode: -2015 },
      'rejected',
    ],
    [
      '-1104 unread parameter',
      new ccxt.BadRequest('x'),
      { httpStatus: 400, venueCode: -1104 },
      'rejected',
    ],
    ['4xx without a venue code', new ccxt.ExchangeError('x'), { httpStatus: 403 }, 'rejected'],
    ['500 -1000', new ccxt.ExchangeError('x'), { httpStatus: 500, venueCode: -1000 }, 'ambiguous'],
    ['503', new ccxt.ExchangeNotAvailable('x'), { httpStatus: 503 }, 'ambiguous'],
    ['504 gateway timeout', new ccxt.RequestTimeout('x'), { httpStatus: 504 }, 'ambiguous'],
    [
      '-1007 backend timeout',
      new ccxt.ExchangeError('x'),
      { httpStatus: 400, venueCode: -1007 },
      'ambiguous',
    ],
  ] as const)('%s → %s', (_label, error, info, kind) => {
    const failure = classifyVenueError(answered(error, info));
    expect(failure).toEqual({
      kind,
      httpStatus: info.httpStatus,
      venueCode: 'venueCode' in info ? info.venueCode : undefined,
      retryAfterMs: 'retryAfterMs' in info ? info.retryAfterMs : undefined,
      errorClass: error.name,
    });
  });

  it('never reads the message: the class and code decide', () => {
    const misleading = new ccxt.InvalidOrder(
      'Account has insufficient balance for requested action.',
    );
    expect(
      classifyVenueError(answered(misleading, { httpStatus: 400, venueCode: -2010 })).kind,
    ).toBe('duplicate');
    const alsoMisleading = new ccxt.InsufficientFunds('Duplicate order sent.');
    expect(
      classifyVenueError(answered(alsoMisleading, { httpStatus: 400, venueCode: -2010 })).kind,
    ).toBe('rejected');
  });

  it('reads Node error codes along the cause chain: refused is not_sent, reset is ambiguous', () => {
    const refused = withCause(new ccxt.NetworkError('x'), errno('ECONNREFUSED'));
    expect(classifyVenueError(refused)).toMatchObject({
      kind: 'not_sent',
      errorClass: 'NetworkError(ECONNREFUSED)',
    });
    const deep = withCause(
      new ccxt.NetworkError('x'),
      withCause(new Error('wrap'), errno('ECONNRESET')),
    );
    expect(classifyVenueError(deep).kind).toBe('ambiguous');
    expect(classifyVenueError(errno('UND_ERR_SOCKET')).kind).toBe('ambiguous');
    expect(classifyVenueError(errno('ENOTFOUND')).kind).toBe('not_sent');
  });

  it('without an answer, goes by the ccxt class', () => {
    expect(classifyVenueError(new ccxt.RequestTimeout('x')).kind).toBe('ambiguous');
    expect(classifyVenueError(new ccxt.NetworkError('x')).kind).toBe('ambiguous');
    expect(classifyVenueError(new ccxt.RateLimitExceeded('x')).kind).toBe('rate_limited');
    expect(classifyVenueError(new ccxt.DuplicateOrderId('x')).kind).toBe('duplicate');
    expect(classifyVenueError(new ccxt.OrderNotFound('x')).kind).toBe('not_found');
    // ccxt refused before sending: final.
    expect(classifyVenueError(new ccxt.ArgumentsRequired('x')).kind).toBe('rejected');
    expect(classifyVenueError(new ccxt.BadSymbol('x')).kind).toBe('rejected');
    // Unknown throws: nothing says the request did not go out.
    expect(classifyVenueError(new TypeError('x')).kind).toBe('ambiguous');
    expect(classifyVenueError('a string').kind).toBe('ambiguous');
  });

  it('passes a VenueError through, which keeps the original as cause', () => {
    const cause = answered(new ccxt.OrderNotFound('x'), { httpStatus: 400, venueCode: -2013 });
    const error = new VenueError(classifyVenueError(cause), 'queryOrder', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.cause).toBe(cause);
    expect(error.kind).toBe('not_found');
    expect(error.message).toMatch(/^queryOrder not_found OrderNotFound HTTP 400 code -2013/);
    expect(classifyVenueError(error)).toBe(error.failure);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('2')).toBe(2000);
    expect(parseRetryAfterMs(['3'])).toBe(3000);
    expect(parseRetryAfterMs(new Date(61_000).toUTCString(), 1000)).toBe(60_000);
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
    expect(parseRetryAfterMs('soon')).toBeUndefined();
  });
});

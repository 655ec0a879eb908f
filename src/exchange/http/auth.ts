import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Account } from '../accounts.js';
import { BinanceError, ErrorCode, rejected } from '../errors.js';
import type { Params } from './params.js';

const DEFAULT_RECV_WINDOW_MS = 5000;
const MAX_RECV_WINDOW_MS = 60_000;
/** The venue refuses timestamps more than this far ahead of its clock. */
const MAX_CLOCK_AHEAD_MS = 1000;

export interface SignedRequest {
  apiKey: string | undefined;
  rawQuery: string;
  rawBody: string;
  params: Params;
  now: number;
}

/**
 * Binance's SIGNED security: a known API key in X-MBX-APIKEY, a timestamp
 * within recvWindow of the server clock, and an HMAC-SHA256 hex signature of
 * the query string followed by the body (without the signature itself).
 */
export function authenticate(
  request: SignedRequest,
  findAccount: (apiKey: string) => Account | undefined,
): Account {
  const { apiKey, params } = request;
  if (apiKey === undefined || apiKey === '') {
    throw new BinanceError(ErrorCode.BAD_API_KEY_FMT, 'API-key format invalid.', 401);
  }
  const account = findAccount(apiKey);
  if (!account) throw rejected.badApiKey();

  const timestamp = params.integer('timestamp', true)!;
  const recvWindow = params.integer('recvWindow') ?? DEFAULT_RECV_WINDOW_MS;
  if (recvWindow > MAX_RECV_WINDOW_MS) {
    throw new BinanceError(
      ErrorCode.BAD_RECV_WINDOW,
      `recvWindow must be less than ${MAX_RECV_WINDOW_MS}`,
    );
  }
  const signature = params.required('signature');

  if (timestamp >= request.now + MAX_CLOCK_AHEAD_MS) {
    throw new BinanceError(
      ErrorCode.INVALID_TIMESTAMP,
      "Timestamp for this request was 1000ms ahead of the server's time.",
    );
  }
  if (request.now - timestamp > recvWindow) {
    throw new BinanceError(
      ErrorCode.INVALID_TIMESTAMP,
      'Timestamp for this request is outside of the recvWindow.',
    );
  }
  const payload = withoutSignature(request.rawQuery) + withoutSignature(request.rawBody);
  if (!signatureMatches(account.signingKey, payload, signature)) {
    throw new BinanceError(ErrorCode.INVALID_SIGNATURE, 'Signature for this request is not valid.');
  }
  return account;
}

/** The same HMAC a client computes; exported for tests and the benchmark's client. */
export function sign(secret: string | KeyObject, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

function withoutSignature(raw: string): string {
  // Clients append the signature last; the general case keeps any other order working.
  if (!raw.includes('signature=')) return raw;
  const last = raw.lastIndexOf('&signature=');
  if (last >= 0 && raw.indexOf('&', last + 1) < 0) return raw.slice(0, last);
  return raw
    .split('&')
    .filter((pair) => !pair.startsWith('signature='))
    .join('&');
}

function signatureMatches(secret: KeyObject, payload: string, signature: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  const expected = Buffer.from(sign(secret, payload), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

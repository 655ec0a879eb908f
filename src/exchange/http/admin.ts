import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isLoopbackAddress } from '../../common/index.js';
import { BinanceError, ErrorCode } from '../errors.js';
import type { Venue } from '../venue.js';
import { errorReply, type Reply } from './reply.js';
import { balancesOf } from './trade-json.js';

const LEDGER_PAGE_MAX = 10_000;

export interface AdminRuntime {
  venue: Venue;
  token: string;
  /** Accept admin calls from non-loopback peers. Default false. */
  allowRemote: boolean;
  /** Resets venue, rate limits and liquidity together. */
  reset: () => void;
}

/**
 * The simulator's own endpoints under /__admin/: the ledger for invariant
 * checks, the accounts' balances, and a reset between runs. Token required;
 * loopback peers only unless allowed.
 */
export function handleAdmin(
  method: string,
  path: string,
  rawQuery: string,
  headers: IncomingHttpHeaders,
  remoteAddress: string | undefined,
  runtime: AdminRuntime,
): Reply {
  if (!runtime.allowRemote && !isLoopbackAddress(remoteAddress)) {
    return errorReply(
      new BinanceError(
        ErrorCode.UNAUTHORIZED,
        'Admin endpoints accept loopback clients only.',
        403,
      ),
    );
  }
  if (!tokenMatches(runtime.token, presentedToken(headers))) {
    return errorReply(
      new BinanceError(
        ErrorCode.UNAUTHORIZED,
        'You are not authorized to execute this request.',
        401,
      ),
    );
  }
  const query = new URLSearchParams(rawQuery);
  switch (`${method} ${path}`) {
    case 'GET /__admin/ledger': {
      const fromSeq = positiveInteger(query.get('fromSeq'), 1);
      const limit = positiveInteger(query.get('limit'), LEDGER_PAGE_MAX);
      if (fromSeq === undefined || limit === undefined || limit > LEDGER_PAGE_MAX) {
        return errorReply(
          new BinanceError(
            ErrorCode.INVALID_PARAMETER,
            `Parameters 'fromSeq' and 'limit' take positive integers; 'limit' at most ${LEDGER_PAGE_MAX}.`,
          ),
        );
      }
      const entries = runtime.venue.ledger.read(fromSeq, limit);
      const { ledger } = runtime.venue;
      const nextSeq =
        entries.length > 0 ? entries.at(-1)!.seq + 1 : Math.max(fromSeq, ledger.firstSequence);
      return {
        status: 200,
        body: {
          entries,
          nextSeq,
          firstSeq: ledger.firstSequence,
          lastSeq: ledger.nextSequence - 1,
        },
      };
    }
    case 'GET /__admin/accounts':
      return { status: 200, body: accountsBody(runtime.venue) };
    case 'POST /__admin/reset':
      runtime.reset();
      return { status: 200, body: { reset: true } };
    default:
      return errorReply(
        new BinanceError(ErrorCode.UNKNOWN, `No admin endpoint ${method} ${path}.`, 404),
      );
  }
}

function accountsBody(venue: Venue) {
  return venue
    .accountIds()
    .map((apiKey) => ({ apiKey, balances: balancesOf(venue.account(apiKey)!) }));
}

function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const direct = headers['x-admin-token'];
  if (typeof direct === 'string') return direct;
  const auth = headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
}

function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

function positiveInteger(text: string | null, fallback: number): number | undefined {
  if (text === null) return fallback;
  if (!/^\d{1,15}$/.test(text) || Number(text) < 1) return undefined;
  return Number(text);
}

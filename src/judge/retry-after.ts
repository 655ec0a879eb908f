/**
 * Retry-After: when the venue (or a fault standing in for it) answers 429 or
 * 418 with a Retry-After, the client must stay quiet until it runs out; a
 * client that keeps going gets its IP banned (418) on a real exchange. Judged
 * from the wire, where the proxy saw every request and every answer.
 *
 * The wire is written when requests end, so its order is that of `endedAt`,
 * not of arrival: a request breaking a window may be written before the
 * answer that opened it (it was still in flight) or after. So the wire is
 * read twice: once for the windows, which are few, and once for the requests,
 * each compared with the windows. The result does not depend on the order.
 */
import { ORDER_PATH, type VenueRequest, type WireRequest } from '../evidence/model.js';
import { RetryWindows, type RetryWindow } from './retry-windows.js';
import {
  CappedList,
  DEFAULT_MAX_LISTED,
  readAll,
  type ListingOptions,
  type RecordSource,
} from './source.js';

/** Options of findRetryAfterViolations. */
export interface RetryAfterOptions extends ListingOptions {
  /** Grace at both ends of a window for clocks and timers, ms; default 100. */
  toleranceMs?: number;
  /** Judge only this proxy's records; default every proxy, each with its own windows. */
  proxy?: string;
  /**
   * Request ids of the 429s the venue gave for its order-count limit
   * (-1015, TOO_MANY_ORDERS): such a wait holds back new orders only, as on
   * Binance; every other request may go on. Default none.
   */
  orderLimitIds?: ReadonlySet<string>;
}

/** A request sent while the client had been told to wait. */
export interface RetryAfterViolation {
  proxy: string;
  requestId: string;
  /** When the request arrived at the proxy, ms since the epoch. */
  at: number;
  method: string;
  path: string;
  /** The earliest answer whose wait it broke. */
  window: Omit<RetryWindow, 'closesAt'>;
  /** How long after the window opened the request came, ms. */
  insideMs: number;
}

/** What findRetryAfterViolations found. */
export interface RetryAfterJudgment {
  /** Answers 429 or 418 with a positive Retry-After the client received. */
  windows: number;
  /** Answers 418 (the IP banned) the client received, Retry-After or not. */
  bans: number;
  /** The first violations, in the order the wire was written. */
  violations: RetryAfterViolation[];
  violationsTotal: number;
}

const DEFAULT_TOLERANCE_MS = 100;

/**
 * Finds requests that arrived inside a Retry-After window: more than
 * `toleranceMs` after the client got the 429/418 (`endedAt`) and more than
 * `toleranceMs` before the wait ran out. A request can never break the window
 * its own answer opened: it arrived before that answer ended. Windows apply
 * per proxy (one proxy's 429 says nothing about another upstream).
 */
export async function findRetryAfterViolations(
  wire: RecordSource<WireRequest>,
  options: RetryAfterOptions = {},
): Promise<RetryAfterJudgment> {
  const { proxy, signal } = options;
  const toleranceMs = options.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  const judged = (record: WireRequest) => proxy === undefined || record.proxy === proxy;

  // Per proxy, two kinds of wait: one for every request, one for new orders only.
  const windowsByProxy = new Map<string, { all: RetryWindows; orders: RetryWindows }>();
  let windows = 0;
  let bans = 0;
  for await (const record of readAll(wire, signal)) {
    if (!judged(record)) continue;
    if (record.status === 418) bans += 1;
    const window = windowOf(record);
    if (window === null) continue;
    windows += 1;
    const lists = windowsByProxy.get(record.proxy) ?? {
      all: new RetryWindows(),
      orders: new RetryWindows(),
    };
    windowsByProxy.set(record.proxy, lists);
    const ordersOnly = options.orderLimitIds?.has(record.requestId) === true;
    (ordersOnly ? lists.orders : lists.all).add(window);
  }

  const violations = new CappedList<RetryAfterViolation>(options.maxListed ?? DEFAULT_MAX_LISTED);
  if (windowsByProxy.size > 0) {
    for await (const record of readAll(wire, signal)) {
      if (!judged(record)) continue;
      const lists = windowsByProxy.get(record.proxy);
      if (lists === undefined) continue;
      const placesOrder = record.method === 'POST' && record.path === ORDER_PATH;
      const broken =
        lists.all.breaking(record.at, toleranceMs) ??
        (placesOrder ? lists.orders.breaking(record.at, toleranceMs) : null);
      if (broken !== null) violations.add(violation(record, broken));
    }
  }
  return { windows, bans, violations: violations.items, violationsTotal: violations.total };
}

function windowOf(record: WireRequest): RetryWindow | null {
  const { requestId, status, endedAt, retryAfterS } = record;
  if (status !== 429 && status !== 418) return null;
  if (retryAfterS === null || !(retryAfterS > 0)) return null;
  return { requestId, status, endedAt, retryAfterS, closesAt: endedAt + retryAfterS * 1000 };
}

function violation(record: WireRequest, broken: RetryWindow): RetryAfterViolation {
  const { requestId, status, endedAt, retryAfterS } = broken;
  return {
    proxy: record.proxy,
    requestId: record.requestId,
    at: record.at,
    method: record.method,
    path: record.path,
    window: { requestId, status, endedAt, retryAfterS },
    insideMs: record.at - endedAt,
  };
}

/** Binance's code for a refusal by the order-count limit (new orders per 10 s or per day). */
const TOO_MANY_ORDERS = -1015;

/**
 * The request ids of the 429s the venue gave for its order-count limit, read
 * from its records: few (one per refused order), so held in a set.
 */
export async function orderLimitRefusals(
  venue: RecordSource<VenueRequest>,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const record of readAll(venue, signal)) {
    if (record.status === 429 && record.code === TOO_MANY_ORDERS && record.requestId !== null) {
      ids.add(record.requestId);
    }
  }
  return ids;
}

import type { OrderSide, OrderStatus, OrderType, TimeInForce } from '../../journal/index.js';

/** The trading rules of one market, read from the venue. */
export interface MarketRules {
  /** Unified symbol, e.g. BTC/USDT. */
  symbol: string;
  base: string;
  quote: string;
  /** Smallest quantity increment, as a decimal string. */
  stepSize: string;
  /** Smallest price increment, as a decimal string. */
  tickSize: string;
  minQty: string;
  /** Smallest order value in the quote asset. */
  minNotional: string;
}

/** Best bid and ask of one market. */
export interface BookTop {
  symbol: string;
  bid: number;
  ask: number;
  /** When the engine received it, ms since the epoch. */
  at: number;
}

export interface PlaceOrderRequest {
  symbol: string;
  side: OrderSide;
  type: OrderType;
  quantity: string;
  price: string | null;
  timeInForce: TimeInForce | null;
  clientOrderId: string;
}

/** An order as the venue reports it, mapped to the journal's statuses. */
export interface VenueOrder {
  clientOrderId: string;
  exchangeOrderId: string;
  symbol: string;
  /** One of NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED, REJECTED. */
  status: OrderStatus;
  executedQty: string;
  cumulativeQuote: string;
  /** Fee paid per asset over the fills the venue reported with this answer. */
  fees: Record<string, string>;
}

/** One fill of one of the account's orders, as the venue reports it. */
export interface VenueTrade {
  tradeId: string;
  exchangeOrderId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: string;
  quoteQuantity: string;
  /** Commission charged for this fill, and in which asset. */
  fee: string;
  feeAsset: string;
  at: number;
}

export interface Balance {
  free: string;
  locked: string;
}

/**
 * What a failed venue request means for an order, decided from the exception
 * class, HTTP status and venue code, never from message text.
 * - rejected: the venue refused it; it does not exist there. Final.
 * - rate_limited: refused with 429/418; not executed; retry after `retryAfterMs`.
 * - not_found: the venue has no such order.
 * - duplicate: the venue already has an open order with this client order id.
 * - not_sent: the request never left (connection refused, breaker open, gate aborted).
 * - ambiguous: sent, and no answer says whether it took effect (timeout, reset, 5xx).
 */
export type FailureKind =
  'rejected' | 'rate_limited' | 'not_found' | 'duplicate' | 'not_sent' | 'ambiguous';

export interface VenueFailure {
  kind: FailureKind;
  httpStatus: number | undefined;
  venueCode: number | undefined;
  /** From Retry-After on 429/418. */
  retryAfterMs: number | undefined;
  /** The ccxt exception class or Node error code, for reports. */
  errorClass: string;
}

/** One request to the venue, as the connector saw it; for metrics and the watchdog. */
export interface VenueRequestEvent {
  operation: VenueOperation;
  at: number;
  latencyMs: number;
  ok: boolean;
  failure: VenueFailure | undefined;
}

export type VenueOperation =
  | 'placeOrder'
  | 'queryOrder'
  | 'cancelOrder'
  | 'openOrders'
  | 'balances'
  | 'bookTops'
  | 'ping'
  | 'markets'
  | 'trades';

export interface VenueClientEvents {
  request: [VenueRequestEvent];
  /**
   * A gate closed after a 429/418 until `until`: every request (scope `all`,
   * request weight or a ban), or new orders only (scope `orders`, the
   * venue's order-count limit, -1015).
   */
  rateLimited: [{ at: number; until: number; httpStatus: number; scope: 'all' | 'orders' }];
  /** Near the venue's weight limit, the gate closed until the venue's window turns, before any 429. */
  paced: [{ at: number; until: number }];
}

/**
 * The engine's only way to the exchange. Every request waits at one shared gate
 * while a 429/418 back-off is in force. Failures are thrown as VenueError.
 */
export interface VenueClient {
  /** The venue's recvWindow in ms: a signed request older than this is refused, so it can no longer take effect. */
  readonly recvWindowMs: number;
  markets(signal?: AbortSignal): Promise<Map<string, MarketRules>>;
  placeOrder(request: PlaceOrderRequest, signal?: AbortSignal): Promise<VenueOrder>;
  /** By client order id. Throws VenueError kind not_found when the venue has no such order. */
  queryOrder(symbol: string, clientOrderId: string, signal?: AbortSignal): Promise<VenueOrder>;
  cancelOrder(symbol: string, clientOrderId: string, signal?: AbortSignal): Promise<VenueOrder>;
  openOrders(symbol: string, signal?: AbortSignal): Promise<VenueOrder[]>;
  balances(signal?: AbortSignal): Promise<Map<string, Balance>>;
  /** The account's fills in a symbol since `sinceMs`, oldest first, every page. */
  trades(symbol: string, sinceMs: number, signal?: AbortSignal): Promise<VenueTrade[]>;
  bookTops(symbols: readonly string[], signal?: AbortSignal): Promise<Map<string, BookTop>>;
  /** A cheap request that proves the venue answers. */
  ping(signal?: AbortSignal): Promise<void>;
  /** How long the oldest request sent and not yet answered has waited, ms; 0 when none. */
  oldestInFlightMs(): number;
  /** Ms until the rate-limit gate opens; 0 when open. */
  gateRemainingMs(): number;
  on<E extends keyof VenueClientEvents>(
    event: E,
    listener: (...args: VenueClientEvents[E]) => void,
  ): this;
  off<E extends keyof VenueClientEvents>(
    event: E,
    listener: (...args: VenueClientEvents[E]) => void,
  ): this;
  close(): Promise<void>;
}

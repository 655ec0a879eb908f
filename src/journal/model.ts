/**
 * The order journal's data model: what the engine knows about each order it
 * ever meant to place, and every change to that knowledge, in order.
 *
 * The journal is the engine's memory across crashes and outages. The exchange
 * ledger is the ground truth it is checked against.
 */

/**
 * The engine's view of an order.
 * - PENDING: journaled, not known to have reached the venue.
 * - UNKNOWN: a request may have reached the venue, and no answer says what happened.
 * - NEW, PARTIALLY_FILLED: open at the venue.
 * - FILLED, CANCELED, EXPIRED, REJECTED: final, as the venue says.
 * - ABANDONED: final; the venue never had it and the engine stopped trying
 *   (deadline passed, or the venue confirmed absence after the deadline).
 */
export type OrderStatus =
  | 'PENDING'
  | 'UNKNOWN'
  | 'NEW'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'CANCELED'
  | 'EXPIRED'
  | 'REJECTED'
  | 'ABANDONED';

export const ORDER_STATUSES: readonly OrderStatus[] = [
  'PENDING',
  'UNKNOWN',
  'NEW',
  'PARTIALLY_FILLED',
  'FILLED',
  'CANCELED',
  'EXPIRED',
  'REJECTED',
  'ABANDONED',
];

/** Statuses no later event can change. */
export const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'FILLED',
  'CANCELED',
  'EXPIRED',
  'REJECTED',
  'ABANDONED',
]);

/** Statuses of orders resting at the venue. */
export const OPEN_STATUSES: ReadonlySet<OrderStatus> = new Set(['NEW', 'PARTIALLY_FILLED']);

/** Statuses the reconciler must resolve: the engine does not know whether the venue has the order. */
export const UNRESOLVED_STATUSES: ReadonlySet<OrderStatus> = new Set(['PENDING', 'UNKNOWN']);

export type OrderSide = 'BUY' | 'SELL';
export type OrderType = 'MARKET' | 'LIMIT' | 'LIMIT_MAKER';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';

/** One order as the journal holds it. Amounts are decimal strings, times ms since the epoch. */
export interface OrderRecord {
  /** `<strategyId>-<seq>`; unique for the life of a journal. */
  clientOrderId: string;
  strategyId: string;
  /** The unified (ccxt) symbol, e.g. BTC/USDT. */
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce | null;
  quantity: string;
  /** Limit price; null for market orders. */
  price: string | null;
  status: OrderStatus;
  /** The venue's order id once known. */
  exchangeOrderId: string | null;
  executedQty: string;
  cumulativeQuote: string;
  /** Requests sent to place this order (resubmissions included). */
  attempts: number;
  /** When the last placement request was sent, or null when none was. */
  lastSentAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** Rises by one with every journal entry for this order; the entry's sequence number. */
  version: number;
  /** Why the order is REJECTED, ABANDONED or UNKNOWN: a venue code or a failure class. */
  reason: string | null;
}

/** What happened to an order; one journal entry each. */
export type OrderEventKind =
  | 'INTENT'
  | 'SENT'
  | 'ACK'
  | 'REJECTED'
  | 'UNKNOWN'
  | 'RESOLVED'
  | 'FILL'
  | 'STATUS'
  | 'CANCEL_REQUESTED'
  | 'ABANDONED'
  | 'RECONCILED';

/** One change: the order's full state after it, and what caused it. */
export interface JournalEntry {
  kind: OrderEventKind;
  /** The order after this change; `order.version` is this entry's sequence within the order. */
  order: OrderRecord;
  /** Facts about the change (venue code, fill, attempt number), kept with the event. */
  detail?: Record<string, unknown>;
}

/** A journal entry as read back. */
export interface OrderEvent {
  clientOrderId: string;
  version: number;
  kind: OrderEventKind;
  status: OrderStatus;
  at: number;
  detail: Record<string, unknown>;
}

/** The account's balances (free + locked, per asset) at one moment, ms since the epoch. */
export interface BalanceBaseline {
  at: number;
  balances: Record<string, string>;
}

/**
 * The evidence the world records for the judge: what the venue saw and what
 * the wire (the exchange proxy) did to each request. No system under test
 * can fake it: the bot never touches these records. The two join on the
 * proxy's request id, which the proxy sends upstream as REQUEST_ID_HEADER.
 */

/** Header the proxy adds to every request it forwards upstream, naming it: `<proxy>-<n>`. */
export const REQUEST_ID_HEADER = 'x-n1v1-request-id';

/** How a request ended at the proxy (one of ProxyStats' request counters). */
export type WireEnd =
  'answered' | 'refused' | 'reset' | 'timedOut' | 'injectedStatus' | 'upstreamError';

/** One request as the proxy saw it, recorded when it ended. */
export interface WireRequest {
  /** The proxy's id for it, as sent upstream in REQUEST_ID_HEADER. */
  requestId: string;
  /** The proxy's name (e.g. `exchange`). */
  proxy: string;
  /** When the request arrived at the proxy, ms since the epoch. */
  at: number;
  /** When it ended (answer delivered, connection reset, given up), ms since the epoch. */
  endedAt: number;
  method: string;
  /** Path without the query. */
  path: string;
  end: WireEnd;
  /** The request reached the upstream, so the venue may have executed it. */
  forwarded: boolean;
  /** Status the client received (the upstream's or a toxic's); null when it got no answer. */
  status: number | null;
  /** `Retry-After` the client received, s; null when none. */
  retryAfterS: number | null;
}

/** An order placement as the venue read it (POST /api/v3/order). */
export interface VenueOrder {
  symbol: string;
  side: string;
  type: string;
  /** Decimal strings as sent; null when absent (e.g. a quoteOrderQty market order has no quantity). */
  quantity: string | null;
  price: string | null;
  /** The client order id of the order (sent or assigned by the venue). */
  clientOrderId: string | null;
  /** The venue's order id when it accepted the order; null when refused. */
  orderId: number | null;
}

/** One request the venue answered, recorded as it answered. */
export interface VenueRequest {
  /** When the request arrived at the venue, ms since the epoch. */
  at: number;
  /** REQUEST_ID_HEADER when the request came through the proxy; null otherwise. */
  requestId: string | null;
  /** The X-MBX-APIKEY sent; null when none. */
  apiKey: string | null;
  method: string;
  /** Path without the query. */
  path: string;
  status: number;
  /** Binance error code of a refused request; null on success. */
  code: number | null;
  /** `Retry-After` the venue sent, s; null when none. */
  retryAfterS: number | null;
  /** A SIGNED endpoint whose signature and key held (the request reached the route's own checks). */
  signed: boolean;
  /** The `symbol` parameter, when sent. */
  symbol: string | null;
  /** Set on order placements (POST /api/v3/order), accepted or refused. */
  order: VenueOrder | null;
}

/** Paths whose answer tells a client what became of its orders on a symbol. */
export const ORDER_QUERY_PATHS: ReadonlySet<string> = new Set([
  '/api/v3/order',
  '/api/v3/openOrders',
  '/api/v3/allOrders',
  '/api/v3/myTrades',
]);

/** The path that places an order. */
export const ORDER_PATH = '/api/v3/order';

/** An order the bot said it meant to place, one JSON line in N1V1_INTENTS_FILE, written before sending it. */
export interface ReportedIntent {
  client_order_id: string;
  symbol: string;
  side: string;
  type: string;
  quantity: string | number | null;
  price?: string | number | null;
}

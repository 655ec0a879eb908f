/**
 * Accepted orders as the venue saw them, the one thing every order judgment
 * counts. Kept apart so the duplicate and intent judges agree on what an
 * accepted order is and on how they name one in a finding.
 */
import { parseAmount } from '../common/index.js';
import { ORDER_PATH, type VenueOrder, type VenueRequest } from '../evidence/model.js';

/** An order the venue accepted (it has a venue order id). */
export type AcceptedOrder = VenueOrder & { orderId: number };

/** One accepted order, as a finding names it. */
export interface OrderRef {
  orderId: number;
  clientOrderId: string | null;
  /** When the placement arrived at the venue, ms since the epoch. */
  at: number;
  /** The proxy's request id; null when the request did not come through the proxy. */
  requestId: string | null;
}

/**
 * The order a venue record accepted, when it is a placement (POST ORDER_PATH)
 * by `apiKey` (null: any key) that the venue accepted; otherwise null.
 */
export function acceptedOrder(record: VenueRequest, apiKey: string | null): AcceptedOrder | null {
  if (apiKey !== null && record.apiKey !== apiKey) return null;
  if (record.method !== 'POST' || record.path !== ORDER_PATH) return null;
  const order = record.order;
  if (order === null || order.orderId === null) return null;
  return order as AcceptedOrder;
}

export function orderRef(record: VenueRequest, order: AcceptedOrder): OrderRef {
  return {
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    at: record.at,
    requestId: record.requestId,
  };
}

/**
 * A key equal for two orders with the same symbol, side, type, quantity and
 * price. Amounts compare by value, so a resend formatted `0.00100000` matches
 * an original sent as `0.001`; anything unparsable compares as written.
 */
export function orderShape(order: VenueOrder): string {
  return [order.symbol, order.side, order.type, amountKey(order.quantity), amountKey(order.price)]
    .map((part) => JSON.stringify(part))
    .join(',');
}

function amountKey(text: string | null): string | null {
  if (text === null) return null;
  const parsed = parseAmount(text);
  return parsed.ok ? `=${parsed.value}` : `~${text}`;
}

/** A map key for per-key state: the same id under two API keys belongs to two bots. */
export function keyed(apiKey: string | null, name: string): string {
  return JSON.stringify([apiKey, name]);
}

import type { JournalEntry, OrderEvent, OrderRecord } from './model.js';

/**
 * Mapping between journal records and database rows, and the checks that keep
 * a malformed entry out of a batch (one bad row would fail the whole batch,
 * and a bad row in the spool would block its replay forever).
 */

/** An orders row as pg returns it: bigint columns arrive as strings. */
export interface OrderRow {
  client_order_id: string;
  strategy_id: string;
  symbol: string;
  side: string;
  type: string;
  time_in_force: string | null;
  quantity: string;
  price: string | null;
  status: string;
  exchange_order_id: string | null;
  executed_qty: string;
  cumulative_quote: string;
  attempts: number;
  last_sent_at: string | number | null;
  created_at: string | number;
  updated_at: string | number;
  version: number;
  reason: string | null;
}

export interface EventRow {
  client_order_id: string;
  version: number;
  kind: string;
  status: string;
  at: string | number;
  detail: Record<string, unknown> | null;
}

/** The row written for an order; keys are column names. */
export function orderToRow(order: OrderRecord): OrderRow {
  return {
    client_order_id: order.clientOrderId,
    strategy_id: order.strategyId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    time_in_force: order.timeInForce,
    quantity: order.quantity,
    price: order.price,
    status: order.status,
    exchange_order_id: order.exchangeOrderId,
    executed_qty: order.executedQty,
    cumulative_quote: order.cumulativeQuote,
    attempts: order.attempts,
    last_sent_at: order.lastSentAt,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    version: order.version,
    reason: order.reason,
  };
}

export function rowToOrder(row: OrderRow): OrderRecord {
  return {
    clientOrderId: row.client_order_id,
    strategyId: row.strategy_id,
    symbol: row.symbol,
    side: row.side as OrderRecord['side'],
    type: row.type as OrderRecord['type'],
    timeInForce: row.time_in_force as OrderRecord['timeInForce'],
    quantity: row.quantity,
    price: row.price,
    status: row.status as OrderRecord['status'],
    exchangeOrderId: row.exchange_order_id,
    executedQty: row.executed_qty,
    cumulativeQuote: row.cumulative_quote,
    attempts: row.attempts,
    lastSentAt: row.last_sent_at === null ? null : Number(row.last_sent_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    version: row.version,
    reason: row.reason,
  };
}

/** The event row of an entry: it happened when the order was last updated. */
export function entryToEventRow(entry: JournalEntry): EventRow {
  return {
    client_order_id: entry.order.clientOrderId,
    version: entry.order.version,
    kind: entry.kind,
    status: entry.order.status,
    at: entry.order.updatedAt,
    detail: entry.detail ?? {},
  };
}

export function rowToEvent(row: EventRow): OrderEvent {
  return {
    clientOrderId: row.client_order_id,
    version: row.version,
    kind: row.kind as OrderEvent['kind'],
    status: row.status as OrderEvent['status'],
    at: Number(row.at),
    detail: row.detail ?? {},
  };
}

/**
 * One row per order, its highest version: Postgres refuses to update the same
 * row twice in one statement, and a lower version must never win anyway.
 */
export function latestOrders(entries: readonly JournalEntry[]): OrderRecord[] {
  const latest = new Map<string, OrderRecord>();
  for (const { order } of entries) {
    const seen = latest.get(order.clientOrderId);
    if (seen === undefined || order.version > seen.version) latest.set(order.clientOrderId, order);
  }
  return [...latest.values()];
}

/** `<strategyId>-<seq>`: the text after the last '-' is the sequence number. */
export function parseClientOrderId(
  clientOrderId: string,
): { strategyId: string; seq: number } | undefined {
  const match = /^(.*)-(\d+)$/s.exec(clientOrderId);
  if (match === null) return undefined;
  const seq = Number(match[2]);
  return Number.isSafeInteger(seq) ? { strategyId: match[1] ?? '', seq } : undefined;
}

/** Why an entry cannot be journaled, or undefined when it can. */
export function invalidEntry(entry: JournalEntry): string | undefined {
  const order = entry?.order as Partial<OrderRecord> | undefined;
  if (typeof entry?.kind !== 'string') return 'kind must be a string';
  if (order === undefined || order === null) return 'order is required';
  if (typeof order.clientOrderId !== 'string' || order.clientOrderId === '') {
    return 'order.clientOrderId must be a non-empty string';
  }
  for (const key of ['version', 'attempts', 'createdAt', 'updatedAt'] as const) {
    if (!Number.isSafeInteger(order[key])) return `order.${key} must be an integer`;
  }
  if (order.lastSentAt !== null && !Number.isSafeInteger(order.lastSentAt)) {
    return 'order.lastSentAt must be an integer or null';
  }
  for (const key of ['strategyId', 'symbol', 'side', 'type', 'quantity', 'status'] as const) {
    if (typeof order[key] !== 'string') return `order.${key} must be a string`;
  }
  for (const key of ['executedQty', 'cumulativeQuote'] as const) {
    if (typeof order[key] !== 'string') return `order.${key} must be a string`;
  }
  if (entry.detail !== undefined && (typeof entry.detail !== 'object' || entry.detail === null)) {
    return 'detail must be an object';
  }
  return undefined;
}

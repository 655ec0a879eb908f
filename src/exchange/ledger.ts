import { formatAmount } from './decimal.js';
import type { Order, OrderStatus, Trade } from './orders.js';

/**
 * The exchange's record of what happened to client orders: the ground truth
 * that invariant checks compare an engine's journal against. Amounts are
 * decimal strings, as on the wire.
 */
export type LedgerEntry =
  | (LedgerBase & {
      event: 'ORDER_ACCEPTED';
      side: string;
      type: string;
      timeInForce: string;
      price: string;
      origQty: string;
      origQuoteOrderQty: string;
    })
  | (LedgerBase & {
      event: 'TRADE';
      tradeId: number;
      price: string;
      qty: string;
      quoteQty: string;
      commission: string;
      commissionAsset: string;
      isMaker: boolean;
    })
  | (LedgerBase & {
      event: 'ORDER_STATUS';
      status: OrderStatus;
      executedQty: string;
      cummulativeQuoteQty: string;
    });

interface LedgerBase {
  seq: number;
  time: number;
  apiKey: string;
  symbol: string;
  orderId: number;
  clientOrderId: string;
}

export type LedgerListener = (entry: LedgerEntry) => void;

export class Ledger {
  private entries: LedgerEntry[] = [];
  private nextSeq = 1;
  private readonly listeners = new Set<LedgerListener>();

  orderAccepted(order: Order): void {
    this.append({
      ...this.base(order, order.time),
      event: 'ORDER_ACCEPTED',
      side: order.side,
      type: order.type,
      timeInForce: order.timeInForce,
      price: formatAmount(order.price),
      origQty: formatAmount(order.origQty),
      origQuoteOrderQty: formatAmount(order.origQuoteOrderQty),
    });
  }

  trade(order: Order, trade: Trade): void {
    this.append({
      ...this.base(order, trade.time),
      event: 'TRADE',
      tradeId: trade.id,
      price: formatAmount(trade.price),
      qty: formatAmount(trade.qty),
      quoteQty: formatAmount(trade.quoteQty),
      commission: formatAmount(trade.commission),
      commissionAsset: trade.commissionAsset,
      isMaker: trade.isMaker,
    });
  }

  statusChanged(order: Order): void {
    this.append({
      ...this.base(order, order.updateTime),
      event: 'ORDER_STATUS',
      status: order.status,
      executedQty: formatAmount(order.executedQty),
      cummulativeQuoteQty: formatAmount(order.cummulativeQuoteQty),
    });
  }

  /** Entries with seq ≥ fromSeq, at most limit of them, oldest first. */
  read(fromSeq = 1, limit = Number.POSITIVE_INFINITY): LedgerEntry[] {
    const first = this.entries[0]?.seq ?? this.nextSeq;
    const start = Math.max(0, fromSeq - first);
    return this.entries.slice(start, start + limit);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Seq the next entry will get. */
  get nextSequence(): number {
    return this.nextSeq;
  }

  /** Called for every new entry, synchronously; returns an unsubscribe function. */
  subscribe(listener: LedgerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.entries = [];
    this.nextSeq = 1;
  }

  private base(order: Order, time: number): LedgerBase {
    return {
      seq: this.nextSeq,
      time,
      apiKey: order.account,
      symbol: order.symbol,
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
    };
  }

  private append(entry: LedgerEntry): void {
    this.nextSeq += 1;
    this.entries.push(entry);
    for (const listener of this.listeners) listener(entry);
  }
}

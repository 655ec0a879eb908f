import { formatAmount } from '../common/index.js';
import type { Order, OrderStatus, Trade } from './orders.js';

/**
 * The exchange's record of what happened to client orders: the ground truth
 * that invariant checks compare an engine's journal against. Read as decimal
 * strings, as on the wire.
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

/**
 * What is kept per event: a reference to the order (immutable fields only are
 * read from it) plus the values of that moment. Formatting waits until the
 * ledger is read, keeping the order path cheap.
 */
type LedgerRecord =
  | { seq: number; time: number; event: 'ORDER_ACCEPTED'; order: Order }
  | { seq: number; time: number; event: 'TRADE'; order: Order; trade: Trade }
  | {
      seq: number;
      time: number;
      event: 'ORDER_STATUS';
      order: Order;
      status: OrderStatus;
      executedQty: bigint;
      cummulativeQuoteQty: bigint;
    };

export type LedgerListener = (entry: LedgerEntry) => void;

export class Ledger {
  /** @param onListenerError told of any exception a listener throws (which is then swallowed). */
  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  private records: LedgerRecord[] = [];
  private firstSeq = 1;
  private readonly listeners = new Set<LedgerListener>();

  orderAccepted(order: Order): void {
    this.append({ seq: this.nextSequence, time: order.time, event: 'ORDER_ACCEPTED', order });
  }

  trade(order: Order, trade: Trade): void {
    this.append({ seq: this.nextSequence, time: trade.time, event: 'TRADE', order, trade });
  }

  statusChanged(order: Order): void {
    this.append({
      seq: this.nextSequence,
      time: order.updateTime,
      event: 'ORDER_STATUS',
      order,
      status: order.status,
      executedQty: order.executedQty,
      cummulativeQuoteQty: order.cummulativeQuoteQty,
    });
  }

  /** Entries with seq ≥ fromSeq, at most limit of them, oldest first. */
  read(fromSeq = 1, limit = Number.POSITIVE_INFINITY): LedgerEntry[] {
    const start = Math.max(0, fromSeq - this.firstSeq);
    return this.records.slice(start, start + limit).map(toEntry);
  }

  get size(): number {
    return this.records.length;
  }

  /** Seq of the oldest entry kept; after a reset, sequence numbers go on from where they were. */
  get firstSequence(): number {
    return this.firstSeq;
  }

  /** Seq the next entry will get. */
  get nextSequence(): number {
    return this.firstSeq + this.records.length;
  }

  /** Called for every new entry, synchronously; returns an unsubscribe function. */
  subscribe(listener: LedgerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets every entry. Numbering carries on, so a reader's cursor never points into the new run. */
  clear(): void {
    this.firstSeq = this.nextSequence;
    this.records = [];
  }

  private append(record: LedgerRecord): void {
    this.records.push(record);
    if (this.listeners.size === 0) return;
    const entry = toEntry(record);
    for (const listener of this.listeners) {
      // Entries arrive mid-operation: a failing listener must not leave an order half settled.
      try {
        listener(entry);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}

function toEntry(record: LedgerRecord): LedgerEntry {
  const { order } = record;
  const base = {
    seq: record.seq,
    time: record.time,
    apiKey: order.account,
    symbol: order.symbol,
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
  };
  switch (record.event) {
    case 'ORDER_ACCEPTED':
      return Object.assign(base, {
        event: record.event,
        side: order.side,
        type: order.type,
        timeInForce: order.timeInForce,
        price: formatAmount(order.price),
        origQty: formatAmount(order.origQty),
        origQuoteOrderQty: formatAmount(order.origQuoteOrderQty),
      });
    case 'TRADE':
      return Object.assign(base, {
        event: record.event,
        tradeId: record.trade.id,
        price: formatAmount(record.trade.price),
        qty: formatAmount(record.trade.qty),
        quoteQty: formatAmount(record.trade.quoteQty),
        commission: formatAmount(record.trade.commission),
        commissionAsset: record.trade.commissionAsset,
        isMaker: record.trade.isMaker,
      });
    case 'ORDER_STATUS':
      return Object.assign(base, {
        event: record.event,
        status: record.status,
        executedQty: formatAmount(record.executedQty),
        cummulativeQuoteQty: formatAmount(record.cummulativeQuoteQty),
      });
  }
}

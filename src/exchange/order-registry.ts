import type { Order, Trade } from './orders.js';

/** A reference to an order by exchange id or by client id (Binance's orderId / origClientOrderId). */
export interface OrderRef {
  orderId?: number;
  clientOrderId?: string;
}

/**
 * Client orders and trades, indexed the ways the API looks them up. The
 * liquidity provider's orders are never registered here.
 */
export class OrderRegistry {
  private byId = new Map<number, Order>();
  /** account|symbol|clientOrderId → the newest order that used that id. */
  private byClientId = new Map<string, Order>();
  private resting = new Map<string, number>();
  /** account|symbol → trades, oldest first. */
  private trades = new Map<string, Trade[]>();

  add(order: Order): void {
    this.byId.set(order.orderId, order);
    this.byClientId.set(clientKey(order.account, order.symbol, order.clientOrderId), order);
  }

  /** The newest order of this account and symbol that used the client id. */
  latestWithClientId(accountId: string, symbol: string, clientOrderId: string): Order | undefined {
    return this.byClientId.get(clientKey(accountId, symbol, clientOrderId));
  }

  /** The account's order on this symbol named by ref; both ids, when given, must name the same one. */
  find(accountId: string, symbol: string, ref: OrderRef): Order | undefined {
    const order =
      ref.orderId !== undefined
        ? this.byId.get(ref.orderId)
        : this.latestWithClientId(accountId, symbol, ref.clientOrderId ?? '');
    if (!order || order.account !== accountId || order.symbol !== symbol) return undefined;
    if (ref.clientOrderId !== undefined && order.clientOrderId !== ref.clientOrderId)
      return undefined;
    return order;
  }

  /** Orders of this account resting on this symbol's book (for MAX_NUM_ORDERS). */
  restingCount(accountId: string, symbol: string): number {
    return this.resting.get(`${accountId}|${symbol}`) ?? 0;
  }

  adjustResting(order: Order, delta: number): void {
    const key = `${order.account}|${order.symbol}`;
    this.resting.set(key, (this.resting.get(key) ?? 0) + delta);
  }

  addTrade(trade: Trade): void {
    const key = `${trade.account}|${trade.symbol}`;
    let list = this.trades.get(key);
    if (!list) {
      list = [];
      this.trades.set(key, list);
    }
    list.push(trade);
  }

  /** The account's trades on a symbol, oldest first (the registry's own array: do not mutate). */
  tradesFor(accountId: string, symbol: string): readonly Trade[] {
    return this.trades.get(`${accountId}|${symbol}`) ?? [];
  }

  clear(): void {
    this.byId = new Map();
    this.byClientId = new Map();
    this.resting = new Map();
    this.trades = new Map();
  }
}

function clientKey(accountId: string, symbol: string, clientOrderId: string): string {
  return `${accountId}|${symbol}|${clientOrderId}`;
}

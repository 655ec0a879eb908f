import type { Amount } from '../common/index.js';
import { remainingQty, type Order, type Side } from './orders.js';

/**
 * One side of a book: price levels kept best-first, orders within a level in
 * arrival order. Together that is price-time priority.
 */
export class BookSide {
  private readonly levels = new Map<Amount, Order[]>();
  /** Level prices, best first (highest bid, lowest ask). */
  private readonly prices: Amount[] = [];

  constructor(readonly side: Side) {}

  /** True when price a ranks ahead of price b on this side. */
  private ranksAhead(a: Amount, b: Amount): boolean {
    return this.side === 'BUY' ? a > b : a < b;
  }

  add(order: Order): void {
    const level = this.levels.get(order.price);
    if (level) {
      level.push(order);
      return;
    }
    this.levels.set(order.price, [order]);
    let low = 0;
    let high = this.prices.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.ranksAhead(this.prices[mid]!, order.price)) low = mid + 1;
      else high = mid;
    }
    this.prices.splice(low, 0, order.price);
  }

  remove(order: Order): boolean {
    const level = this.levels.get(order.price);
    const index = level ? level.indexOf(order) : -1;
    if (!level || index < 0) return false;
    level.splice(index, 1);
    if (level.length === 0) this.dropLevel(order.price);
    return true;
  }

  private dropLevel(price: Amount): void {
    this.levels.delete(price);
    const index = this.prices.indexOf(price);
    if (index >= 0) this.prices.splice(index, 1);
  }

  /** The order first in line, if any. */
  best(): Order | undefined {
    const price = this.prices[0];
    return price === undefined ? undefined : this.levels.get(price)?.[0];
  }

  bestPrice(): Amount | undefined {
    return this.prices[0];
  }

  /** Every resting order in priority order; do not mutate the side while iterating. */
  *inPriority(): Generator<Order> {
    for (const price of this.prices) yield* this.levels.get(price) ?? [];
  }

  /** Aggregated [price, quantity] levels, best first. */
  depth(limit: number): Array<[Amount, Amount]> {
    const out: Array<[Amount, Amount]> = [];
    for (const price of this.prices) {
      if (out.length >= limit) break;
      let total = 0n;
      for (const order of this.levels.get(price) ?? []) total += remainingQty(order);
      out.push([price, total]);
    }
    return out;
  }

  get levelCount(): number {
    return this.prices.length;
  }

  clear(): void {
    this.levels.clear();
    this.prices.length = 0;
  }
}

export class OrderBook {
  readonly bids = new BookSide('BUY');
  readonly asks = new BookSide('SELL');
  /** Bumped on every change, reported as depth's lastUpdateId. */
  updateId = 1;

  /** The side an order of this side rests on. */
  restingSide(side: Side): BookSide {
    return side === 'BUY' ? this.bids : this.asks;
  }

  /** The side an order of this side trades against. */
  oppositeSide(side: Side): BookSide {
    return side === 'BUY' ? this.asks : this.bids;
  }

  mid(): Amount | undefined {
    const bid = this.bids.bestPrice();
    const ask = this.asks.bestPrice();
    if (bid === undefined || ask === undefined) return bid ?? ask;
    return (bid + ask) / 2n;
  }
}

import { divide, floorToStep, minAmount, multiply, type Amount } from '../common/index.js';
import type { BookSide } from './order-book.js';
import { remainingQty, type Order, type Side } from './orders.js';

/** How far an incoming order may trade: by price, by base quantity, by quote amount. */
export interface TakeLimits {
  side: Side;
  /** Worst acceptable price; absent for a market order. */
  limitPrice?: Amount;
  /** Base quantity still to fill. */
  qtyLeft?: Amount;
  /** Quote amount still to spend or receive (market order by quoteOrderQty). */
  quoteLeft?: Amount;
  stepSize: Amount;
}

/** The quantity to take from this resting order next; 0 means matching stops here. */
export function takeFrom(maker: Order, limits: TakeLimits): Amount {
  if (limits.limitPrice !== undefined) {
    const crosses =
      limits.side === 'BUY' ? maker.price <= limits.limitPrice : maker.price >= limits.limitPrice;
    if (!crosses) return 0n;
  }
  let qty = remainingQty(maker);
  if (limits.qtyLeft !== undefined) qty = minAmount(qty, limits.qtyLeft);
  if (limits.quoteLeft !== undefined) {
    qty = minAmount(qty, floorToStep(divide(limits.quoteLeft, maker.price), limits.stepSize));
  }
  return qty > 0n ? qty : 0n;
}

/** Counts a fill against the limits. */
function consume(limits: TakeLimits, price: Amount, qty: Amount): void {
  if (limits.qtyLeft !== undefined) limits.qtyLeft -= qty;
  if (limits.quoteLeft !== undefined) limits.quoteLeft -= multiply(price, qty);
}

export interface FillResult {
  qty: Amount;
  quote: Amount;
  /** False when the book or the limit price ran out before the order's size did. */
  complete: boolean;
}

/**
 * Walks resting orders in priority order and takes what the limits allow.
 * With no onFill it is a dry run over a snapshot (`side.inPriority()`); to
 * trade, pass `drain(side)` and an onFill that removes filled makers.
 */
export function match(
  makers: Iterable<Order>,
  limits: TakeLimits,
  onFill?: (maker: Order, qty: Amount) => void,
): FillResult {
  const left: TakeLimits = {
    side: limits.side,
    limitPrice: limits.limitPrice,
    qtyLeft: limits.qtyLeft,
    quoteLeft: limits.quoteLeft,
    stepSize: limits.stepSize,
  };
  let qty = 0n;
  let quote = 0n;
  let lastPrice: Amount | undefined;
  for (const maker of makers) {
    lastPrice = maker.price;
    const take = takeFrom(maker, left);
    if (take === 0n) break;
    qty += take;
    quote += multiply(maker.price, take);
    consume(left, maker.price, take);
    onFill?.(maker, take);
  }
  return { qty, quote, complete: isSatisfied(left, lastPrice) };
}

/** Yields the best resting order until the side is empty or the caller stops. */
export function* drain(side: BookSide): Generator<Order> {
  for (let maker = side.best(); maker; maker = side.best()) yield maker;
}

/** Nothing more is wanted: the quantity is filled, or the quote left cannot buy another step. */
function isSatisfied(left: TakeLimits, lastPrice: Amount | undefined): boolean {
  if (left.qtyLeft !== undefined) return left.qtyLeft === 0n;
  if (left.quoteLeft === undefined || lastPrice === undefined) return false;
  return floorToStep(divide(left.quoteLeft, lastPrice), left.stepSize) === 0n;
}

import type { OrderSide } from '../../journal/index.js';
import type { BookTop } from '../connector/venue-client.js';
import type { OrderIntent } from './strategy.js';

/** Mid price of a book top, or undefined when the book is crossed, empty or one-sided. */
export function midOf(book: BookTop | undefined): number | undefined {
  if (!book || !(book.bid > 0) || !(book.ask > 0) || book.ask < book.bid) return undefined;
  return (book.bid + book.ask) / 2;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** A MARKET order intent. */
export function marketIntent(
  strategyId: string,
  symbol: string,
  side: OrderSide,
  quantity: string,
  intendedAt: number,
): OrderIntent {
  return {
    strategyId,
    symbol,
    side,
    type: 'MARKET',
    quantity,
    price: null,
    timeInForce: null,
    intendedAt,
  };
}

/** A resting LIMIT GTC order intent. */
export function limitIntent(
  strategyId: string,
  symbol: string,
  side: OrderSide,
  quantity: string,
  price: string,
  intendedAt: number,
): OrderIntent {
  return {
    strategyId,
    symbol,
    side,
    type: 'LIMIT',
    quantity,
    price,
    timeInForce: 'GTC',
    intendedAt,
  };
}

/** One element of a non-empty list, drawn from `next()` in [0, 1). */
export function pick<T>(items: readonly T[], draw: number): T | undefined {
  return items[Math.floor(draw * items.length)];
}

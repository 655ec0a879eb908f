import { randomBytes } from 'node:crypto';
import type { Amount } from '../common/index.js';

export type Side = 'BUY' | 'SELL';
export type OrderType = 'LIMIT' | 'MARKET' | 'LIMIT_MAKER';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED';

export const SIDES: readonly Side[] = ['BUY', 'SELL'];
export const ORDER_TYPES: readonly OrderType[] = ['LIMIT', 'MARKET', 'LIMIT_MAKER'];
export const TIME_IN_FORCE: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];

/** What a client asks for; validated against the symbol's filters before it becomes an Order. */
export interface OrderRequest {
  symbol: string;
  side: Side;
  type: OrderType;
  timeInForce?: TimeInForce;
  /** Limit price; absent for market orders. */
  price?: Amount;
  /** Base quantity; a market order gives this or quoteOrderQty. */
  quantity?: Amount;
  /** Quote amount to spend (BUY) or receive (SELL) for a market order. */
  quoteOrderQty?: Amount;
  clientOrderId?: string;
}

export interface Order {
  orderId: number;
  symbol: string;
  /** The API key that owns it, or the liquidity provider's id. */
  account: string;
  clientOrderId: string;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  price: Amount;
  origQty: Amount;
  origQuoteOrderQty: Amount;
  executedQty: Amount;
  cummulativeQuoteQty: Amount;
  status: OrderStatus;
  /** Funds still held for this order: quote asset for a BUY, base asset for a SELL. */
  locked: Amount;
  time: number;
  updateTime: number;
  /** Time the order started working (Binance's workingTime): its acceptance, as no order type here waits for a trigger. */
  workingTime: number;
  /** True while the order rests on its book. */
  onBook: boolean;
}

export interface Trade {
  id: number;
  symbol: string;
  orderId: number;
  account: string;
  clientOrderId: string;
  price: Amount;
  qty: Amount;
  quoteQty: Amount;
  commission: Amount;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

export function remainingQty(order: Order): Amount {
  return order.origQty - order.executedQty;
}

export function isOpen(order: Order): boolean {
  return order.status === 'NEW' || order.status === 'PARTIALLY_FILLED';
}

/** Per-process random prefix of generated client order ids. */
const ID_PREFIX = randomBytes(9).toString('base64url');
let idCounter = 0;

/**
 * A client order id as the venue generates one when none is sent: 22 URL-safe
 * characters, unique. A random prefix and a counter, because this runs for
 * every order and fresh random bytes each time cost more than the rest of it.
 */
export function randomClientOrderId(): string {
  idCounter += 1;
  return ID_PREFIX + idCounter.toString(36).padStart(10, '0');
}

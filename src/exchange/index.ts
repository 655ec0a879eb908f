export {
  createExchange,
  DEFAULT_ACCOUNT,
  DEFAULT_BALANCES,
  type Exchange,
  type ExchangeAccountOptions,
  type ExchangeOptions,
  type SymbolOptions,
} from './exchange.js';
export { sign } from './http/auth.js';
export type { LedgerEntry } from './ledger.js';
export type { LiquidityOptions } from './liquidity.js';
export type { RateLimits } from './rate-limiter.js';
export { RATE_LIMIT_DEFAULTS } from './rate-limiter.js';
export type { Order, OrderStatus, Side, Trade } from './orders.js';
export { LIQUIDITY_ACCOUNT, Venue } from './venue.js';

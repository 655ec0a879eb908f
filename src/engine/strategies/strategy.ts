import type { SeededRandom } from '../../common/index.js';
import type { OrderRecord, OrderSide, OrderType, TimeInForce } from '../../journal/index.js';
import type { BookTop, MarketRules } from '../connector/venue-client.js';

/** What a strategy wants placed. The executor assigns the client order id. */
export interface OrderIntent {
  strategyId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  /** Decimal string already on the market's step size. */
  quantity: string;
  /** Decimal string on the market's tick size; null for market orders. */
  price: string | null;
  timeInForce: TimeInForce | null;
  /** When the strategy decided, ms since the epoch; order latency is measured from here. */
  intendedAt: number;
}

export type StrategyAction =
  { kind: 'place'; intent: OrderIntent } | { kind: 'cancel'; clientOrderId: string };

/** What a strategy may look at when it decides. */
export interface StrategyContext {
  now: number;
  /** The latest book top, or undefined before the first one arrives. */
  book(symbol: string): BookTop | undefined;
  rules(symbol: string): MarketRules | undefined;
  /** This strategy's orders resting at the venue (NEW or PARTIALLY_FILLED), as journaled. */
  openOrders(): readonly OrderRecord[];
  /** This strategy's net base-asset position in the symbol, from its fills. */
  position(symbol: string): number;
  /** Orders of this strategy not yet final or open (in flight or unresolved). */
  inFlight(): number;
}

/** A trading strategy: market data in, actions out. Pure decisions, no I/O. */
export interface Strategy {
  readonly id: string;
  readonly kind: string;
  readonly symbols: readonly string[];
  /** How often the strategy loop calls decide(), ms. */
  readonly intervalMs: number;
  decide(context: StrategyContext): StrategyAction[];
}

/** Settings every built-in strategy takes. */
export interface StrategySettings {
  id: string;
  symbols: readonly string[];
  random: SeededRandom;
  /** Loop interval, ms. */
  intervalMs: number;
  /** Order value to aim for, in the quote asset. */
  orderNotional: number;
}

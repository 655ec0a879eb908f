/**
 * A hand-driven StrategyContext for unit tests of strategies and the runner:
 * the test sets books, positions and open orders, then calls decide().
 * Not exported from the folder's index.
 */
import type { OrderRecord, OrderSide } from '../../src/journal/index.js';
import type { BookTop, MarketRules } from '../../src/engine/connector/index.js';
import type { StrategyContext } from '../../src/engine/strategies/index.js';

export const BTC_RULES: MarketRules = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  stepSize: '0.00001',
  tickSize: '0.01',
  minQty: '0.00001',
  minNotional: '5',
};

export const DOGE_RULES: MarketRules = {
  symbol: 'DOGE/USDT',
  base: 'DOGE',
  quote: 'USDT',
  stepSize: '1',
  tickSize: '0.00001',
  minQty: '1',
  minNotional: '5',
};

export interface FakeContext extends StrategyContext {
  books: Map<string, BookTop>;
  marketRules: Map<string, MarketRules>;
  positions: Map<string, number>;
  open: OrderRecord[];
  inFlightCount: number;
  setMid(symbol: string, mid: number, spread?: number): void;
}

export function fakeContext(rules: MarketRules[] = [BTC_RULES, DOGE_RULES]): FakeContext {
  const context: FakeContext = {
    now: 1_700_000_000_000,
    books: new Map(),
    marketRules: new Map(rules.map((rule) => [rule.symbol, rule])),
    positions: new Map(),
    open: [],
    inFlightCount: 0,
    book: (symbol) => context.books.get(symbol),
    rules: (symbol) => context.marketRules.get(symbol),
    openOrders: () => context.open,
    position: (symbol) => context.positions.get(symbol) ?? 0,
    inFlight: () => context.inFlightCount,
    setMid(symbol, mid, spread = mid * 0.0002) {
      const at = context.now;
      context.books.set(symbol, { symbol, bid: mid - spread / 2, ask: mid + spread / 2, at });
    },
  };
  return context;
}

let sequence = 0;

/** An open LIMIT order record as the journal would hold it. */
export function openOrder(
  strategyId: string,
  symbol: string,
  side: OrderSide,
  price: string,
  quantity = '0.001',
): OrderRecord {
  sequence += 1;
  return {
    clientOrderId: `${strategyId}-${sequence}`,
    strategyId,
    symbol,
    side,
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity,
    price,
    status: 'NEW',
    exchangeOrderId: String(sequence),
    executedQty: '0',
    cumulativeQuote: '0',
    attempts: 1,
    lastSentAt: 0,
    createdAt: 0,
    updatedAt: 0,
    version: 2,
    reason: null,
  };
}

import type { OrderIntent } from '../engine/index.js';
import type { StrategyIdentity } from '../stack/index.js';

/** Symbols a load run trades, with an order size well above the venue's minimum value. */
export const LOAD_MARKETS: Readonly<Record<string, string>> = Object.freeze({
  'BTC/USDT': '0.001',
  'ETH/USDT': '0.01',
});

/**
 * One strategy's order flow: MARKET orders cycling through its symbols, each
 * symbol's side alternating, so no position or balance drifts however long
 * the run. Market orders never rest, so the open-order limit never refuses them.
 */
export class OrderFlow {
  private next = 0;
  private readonly markets: string[];
  private readonly buyNext: boolean[];

  constructor(readonly strategy: StrategyIdentity) {
    this.markets = strategy.symbols.filter((symbol) => symbol in LOAD_MARKETS);
    if (this.markets.length === 0)
      throw new Error(
        `strategy ${strategy.id} trades none of ${Object.keys(LOAD_MARKETS).join(', ')}`,
      );
    this.buyNext = this.markets.map(() => true);
  }

  /** The next intent, decided now or (open model) meant for `intendedAt`, ms since the epoch. */
  intent(intendedAt: number): OrderIntent {
    const index = this.next++ % this.markets.length;
    const symbol = this.markets[index]!;
    const buy = this.buyNext[index]!;
    this.buyNext[index] = !buy;
    return {
      strategyId: this.strategy.id,
      symbol,
      side: buy ? 'BUY' : 'SELL',
      type: 'MARKET',
      quantity: LOAD_MARKETS[symbol]!,
      price: null,
      timeInForce: null,
      intendedAt,
    };
  }
}

import type { SeededRandom } from '../../common/index.js';
import { quantityForNotional } from './decimal.js';
import { clamp, marketIntent, midOf, pick } from './helpers.js';
import type { Strategy, StrategyAction, StrategyContext, StrategySettings } from './strategy.js';

/** Settings of a random taker; the tuning fields are optional. */
export interface RandomTakerSettings extends StrategySettings {
  /** Chance of an order on each tick, 0..1. Default 0.3. */
  tradeProbability?: number;
  /**
   * Position value, in the quote asset, at which the taker only trades back
   * toward flat. Default 10 × orderNotional.
   */
  maxPositionNotional?: number;
}

/**
 * Noise flow: on some ticks, a MARKET order of about `orderNotional` on one of
 * its symbols, buy or sell at random, biased back toward flat as its position
 * grows, so a long run does not drain one asset from the account.
 */
export class RandomTaker implements Strategy {
  readonly kind = 'random-taker';
  readonly id: string;
  readonly symbols: readonly string[];
  readonly intervalMs: number;
  private readonly random: SeededRandom;
  private readonly orderNotional: number;
  private readonly tradeProbability: number;
  private readonly maxPositionNotional: number;

  constructor(settings: RandomTakerSettings) {
    this.id = settings.id;
    this.symbols = [...settings.symbols];
    this.intervalMs = settings.intervalMs;
    this.random = settings.random;
    this.orderNotional = settings.orderNotional;
    this.tradeProbability = settings.tradeProbability ?? 0.3;
    this.maxPositionNotional = settings.maxPositionNotional ?? 10 * settings.orderNotional;
  }

  decide(context: StrategyContext): StrategyAction[] {
    // Draw both numbers every tick, traded or not, so the stream stays aligned
    // with ticks whatever the market data did.
    const trade = this.random.next() < this.tradeProbability;
    const symbol = pick(this.symbols, this.random.next());
    const sideDraw = this.random.next();
    if (!trade || symbol === undefined) return [];
    const book = context.book(symbol);
    const rules = context.rules(symbol);
    const mid = midOf(book);
    if (!book || !rules || mid === undefined) return [];

    const positionValue = context.position(symbol) * mid;
    // Flat: even odds. At +max: never buys. At -max: never sells.
    const lean = clamp(positionValue / this.maxPositionNotional, -1, 1);
    const side = sideDraw < 0.5 * (1 - lean) ? 'BUY' : 'SELL';
    const price = side === 'BUY' ? book.ask : book.bid;
    const quantity = quantityForNotional(this.orderNotional, price, rules);
    if (quantity === undefined) return [];
    return [{ kind: 'place', intent: marketIntent(this.id, symbol, side, quantity, context.now) }];
  }
}

import { floorToStep, SCALE, SeededRandom, toNumber, type Amount } from '../common/index.js';
import { isOpen, type Order } from './orders.js';
import type { SymbolSpec } from './symbols.js';
import { LIQUIDITY_ACCOUNT, type Venue } from './venue.js';

export interface LiquidityOptions {
  /** Milliseconds between re-quotes; each one moves the mid a step of the random walk. Default 500. */
  intervalMs: number;
  /** Price levels quoted on each side. Default 20. */
  levels: number;
  /** Gap between levels, as a fraction of the mid price. Default 0.0002 (2 bps). */
  levelSpacing: number;
  /** Standard deviation of one step of the walk, as a fraction of the mid. Default 0.0005. */
  volatility: number;
  /** Value of one level in minimum notionals of the symbol (5 USDT × 10 000 = 50 000 USDT). Default 10 000. */
  levelNotionals: number;
  /** Seed of the walk and of the level sizes. */
  seed: number;
}

export const LIQUIDITY_DEFAULTS: Omit<LiquidityOptions, 'seed'> = {
  intervalMs: 500,
  levels: 20,
  levelSpacing: 0.0002,
  volatility: 0.0005,
  levelNotionals: 10_000,
};

interface SymbolQuotes {
  spec: SymbolSpec;
  random: SeededRandom;
  mid: number;
  orders: Order[];
}

/**
 * A market maker built into the simulator: it keeps a book of resting orders
 * around a seeded random-walk mid price, so market orders always find
 * liquidity and client limit orders get filled as the price moves through them.
 */
export class LiquidityProvider {
  private quotes: SymbolQuotes[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly venue: Venue,
    private readonly options: LiquidityOptions,
  ) {
    this.seed();
  }

  start(): void {
    this.requoteAll();
    if (this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => this.step(), this.options.intervalMs);
    // The simulator's server keeps the process alive; this timer must not.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Restarts the walks from their seeds and quotes afresh (after a venue reset). */
  reset(): void {
    this.seed();
    this.requoteAll();
  }

  /** One tick: move every mid a step and re-quote. */
  step(): void {
    for (const quotes of this.quotes) {
      quotes.mid *= Math.exp(this.options.volatility * quotes.random.gaussian());
    }
    this.requoteAll();
  }

  private seed(): void {
    const root = new SeededRandom(this.options.seed);
    this.quotes = [...this.venue.symbols.values()].map((spec) => ({
      spec,
      random: root.fork(),
      mid: toNumber(spec.initialPrice),
      orders: [],
    }));
  }

  private requoteAll(): void {
    for (const quotes of this.quotes) this.requote(quotes);
  }

  private requote(quotes: SymbolQuotes): void {
    for (const order of quotes.orders) this.venue.withdraw(order);
    quotes.orders = [];
    const { spec } = quotes;
    const tick = spec.tickSize;
    const midTicks = BigInt(Math.max(10, Math.round(quotes.mid / toNumber(tick))));
    const spacingTicks = BigInt(
      Math.max(1, Math.round((quotes.mid * this.options.levelSpacing) / toNumber(tick))),
    );
    for (let level = 0n; level < BigInt(this.options.levels); level += 1n) {
      const offset = spacingTicks * level + (spacingTicks + 1n) / 2n;
      this.quote(quotes, 'BUY', (midTicks - offset) * tick);
      this.quote(quotes, 'SELL', (midTicks + offset) * tick);
    }
  }

  private quote(quotes: SymbolQuotes, side: 'BUY' | 'SELL', price: Amount): void {
    const { spec } = quotes;
    if (price < spec.minPrice || price > spec.maxPrice) return;
    const levelValue = toNumber(spec.minNotional) * this.options.levelNotionals;
    const size = (levelValue / toNumber(price)) * (0.5 + quotes.random.next());
    const quantity = floorToStep(BigInt(Math.floor(size * Number(SCALE))), spec.stepSize);
    if (quantity < spec.minQty) return;
    const { order } = this.venue.placeOrder(LIQUIDITY_ACCOUNT, {
      symbol: spec.symbol,
      side,
      type: 'LIMIT',
      timeInForce: 'GTC',
      price,
      quantity,
    });
    if (isOpen(order)) quotes.orders.push(order);
  }
}

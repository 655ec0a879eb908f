import type { SeededRandom } from '../../common/index.js';
import { quantityForNotional } from './decimal.js';
import { marketIntent, midOf } from './helpers.js';
import type { Strategy, StrategyAction, StrategyContext, StrategySettings } from './strategy.js';

/** Settings of a momentum trader; the tuning fields are optional. */
export interface MomentumSettings extends StrategySettings {
  /** Span of the rolling window of mids, ms. Default 5000. */
  windowMs?: number;
  /** Move over the window, in basis points, that triggers an order. Default: seeded, 8 to 15. */
  thresholdBps?: number;
  /** Quiet time after an order on a symbol, ms. Default 3000. */
  cooldownMs?: number;
  /** Position value, in the quote asset, beyond which it does not add in the same direction. Default 10 × orderNotional. */
  maxPositionNotional?: number;
}

interface Sample {
  at: number;
  mid: number;
}

/**
 * Trend follower: keeps the mids seen over a rolling window per symbol and,
 * when the mid has moved more than the threshold since the oldest sample,
 * takes a MARKET order in the direction of the move, then waits out a
 * cool-down on that symbol. The window restarts after each order, so one move
 * triggers one order.
 */
export class Momentum implements Strategy {
  readonly kind = 'momentum';
  readonly id: string;
  readonly symbols: readonly string[];
  readonly intervalMs: number;
  private readonly orderNotional: number;
  private readonly windowMs: number;
  private readonly thresholdBps: number;
  private readonly cooldownMs: number;
  private readonly maxPositionNotional: number;
  private readonly windows = new Map<string, Sample[]>();
  private readonly lastOrderAt = new Map<string, number>();

  constructor(settings: MomentumSettings) {
    const random: SeededRandom = settings.random;
    this.id = settings.id;
    this.symbols = [...settings.symbols];
    this.intervalMs = settings.intervalMs;
    this.orderNotional = settings.orderNotional;
    this.windowMs = settings.windowMs ?? 5000;
    this.thresholdBps = settings.thresholdBps ?? random.int(8, 15);
    this.cooldownMs = settings.cooldownMs ?? 3000;
    this.maxPositionNotional = settings.maxPositionNotional ?? 10 * settings.orderNotional;
  }

  decide(context: StrategyContext): StrategyAction[] {
    const actions: StrategyAction[] = [];
    for (const symbol of this.symbols) {
      const action = this.decideSymbol(symbol, context);
      if (action) actions.push(action);
    }
    return actions;
  }

  private decideSymbol(symbol: string, context: StrategyContext): StrategyAction | undefined {
    const book = context.book(symbol);
    const mid = midOf(book);
    if (!book || mid === undefined) return undefined;
    const window = this.record(symbol, context.now, mid);
    const oldest = window[0];
    if (!oldest || oldest.at === context.now) return undefined;
    const moveBps = ((mid - oldest.mid) / oldest.mid) * 10_000;
    if (Math.abs(moveBps) <= this.thresholdBps) return undefined;
    const last = this.lastOrderAt.get(symbol);
    if (last !== undefined && context.now - last < this.cooldownMs) return undefined;

    const side = moveBps > 0 ? 'BUY' : 'SELL';
    const positionValue = context.position(symbol) * mid;
    const adding = side === 'BUY' ? positionValue > 0 : positionValue < 0;
    if (adding && Math.abs(positionValue) >= this.maxPositionNotional) return undefined;
    const rules = context.rules(symbol);
    if (!rules) return undefined;
    const quantity = quantityForNotional(
      this.orderNotional,
      side === 'BUY' ? book.ask : book.bid,
      rules,
    );
    if (quantity === undefined) return undefined;
    this.lastOrderAt.set(symbol, context.now);
    // Start a fresh window so the move just traded on does not trigger again after the cool-down.
    this.windows.set(symbol, [{ at: context.now, mid }]);
    return { kind: 'place', intent: marketIntent(this.id, symbol, side, quantity, context.now) };
  }

  /** Adds a sample and drops the ones older than the window; returns the window. */
  private record(symbol: string, now: number, mid: number): Sample[] {
    let window = this.windows.get(symbol);
    if (!window) {
      window = [];
      this.windows.set(symbol, window);
    }
    window.push({ at: now, mid });
    while (window.length > 1 && (window[0] as Sample).at < now - this.windowMs) window.shift();
    return window;
  }
}

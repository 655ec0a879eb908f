import type { SeededRandom } from '../../common/index.js';
import type { OrderRecord, OrderSide } from '../../journal/index.js';
import type { MarketRules } from '../connector/venue-client.js';
import { quantityForNotional, roundToStep } from './decimal.js';
import { clamp, limitIntent, midOf } from './helpers.js';
import type { Strategy, StrategyAction, StrategyContext, StrategySettings } from './strategy.js';

/** Settings of a market maker; the tuning fields are optional. */
export interface MarketMakerSettings extends StrategySettings {
  /** Quote distance from the mid, in ticks. Default: seeded, 2 to 5. */
  offsetTicks?: number;
  /** Quote distance floor in basis points of the mid, for markets whose tick is tiny. Default 2. */
  offsetBps?: number;
  /** Re-quote when a quote is more than this many ticks from where it should be. Default 2. */
  requoteTicks?: number;
  /** Re-quote floor in basis points of the mid. Default 3. */
  requoteBps?: number;
  /** Orders it may have open or in flight at once. Default 2 per symbol + 2 (room to replace). */
  maxOpenOrders?: number;
  /** Position value, in the quote asset, at which it stops quoting the side that adds to it. Default 10 × orderNotional. */
  maxPositionNotional?: number;
  /** A cancel still open after this long is sent again, ms. Default 5000. */
  cancelRetryMs?: number;
}

/** What one symbol's quotes should look like this tick. */
interface Plan {
  rules: MarketRules;
  quotes: Quote[];
  /** Distance from the wanted price beyond which a resting quote is replaced. */
  threshold: number;
}

interface Quote {
  side: OrderSide;
  price: string;
  /** False when the position is at its limit on this side. */
  wanted: boolean;
}

/**
 * Keeps one LIMIT GTC bid and one ask a few ticks around the mid of each of
 * its symbols. A quote that drifts more than the threshold from where it
 * should be is cancelled (by client order id) and replaced in the same tick.
 * Both quotes lean against the position: when long, both move down, so the
 * ask fills more readily than the bid.
 */
export class MarketMaker implements Strategy {
  readonly kind = 'market-maker';
  readonly id: string;
  readonly symbols: readonly string[];
  readonly intervalMs: number;
  private readonly random: SeededRandom;
  private readonly orderNotional: number;
  private readonly offsetTicks: number;
  private readonly offsetBps: number;
  private readonly requoteTicks: number;
  private readonly requoteBps: number;
  private readonly maxOpenOrders: number;
  private readonly maxPositionNotional: number;
  private readonly cancelRetryMs: number;
  /** Cancels sent, by client order id, with when; their orders no longer count as quotes. */
  private readonly cancelling = new Map<string, number>();

  constructor(settings: MarketMakerSettings) {
    this.id = settings.id;
    this.symbols = [...settings.symbols];
    this.intervalMs = settings.intervalMs;
    this.random = settings.random;
    this.orderNotional = settings.orderNotional;
    this.offsetTicks = settings.offsetTicks ?? settings.random.int(2, 5);
    this.offsetBps = settings.offsetBps ?? 2;
    this.requoteTicks = settings.requoteTicks ?? 2;
    this.requoteBps = settings.requoteBps ?? 3;
    this.maxOpenOrders = settings.maxOpenOrders ?? 2 * this.symbols.length + 2;
    this.maxPositionNotional = settings.maxPositionNotional ?? 10 * settings.orderNotional;
    this.cancelRetryMs = settings.cancelRetryMs ?? 5000;
  }

  decide(context: StrategyContext): StrategyAction[] {
    const open = context.openOrders();
    this.forgetSettledCancels(open, context.now);
    const inFlight = context.inFlight();
    // Orders being cancelled still rest at the venue until the cancel lands, so they count.
    const budget = { left: this.maxOpenOrders - open.length - inFlight };
    const actions: StrategyAction[] = [];
    for (const symbol of this.symbols) {
      const plan = this.plan(symbol, context);
      if (!plan) continue;
      for (const quote of plan.quotes) {
        const resting = open.filter(
          (order) =>
            order.symbol === symbol &&
            order.side === quote.side &&
            !this.cancelling.has(order.clientOrderId),
        );
        // A placement in flight is invisible in openOrders; placing again would double-quote.
        const canPlace = inFlight === 0;
        actions.push(...this.maintain(symbol, plan, quote, resting, canPlace, budget, context));
      }
    }
    return actions;
  }

  /** Keeps at most one good quote on a side, cancels the rest, places one if none is left. */
  private maintain(
    symbol: string,
    plan: Plan,
    quote: Quote,
    resting: readonly OrderRecord[],
    canPlace: boolean,
    budget: { left: number },
    context: StrategyContext,
  ): StrategyAction[] {
    const actions: StrategyAction[] = [];
    let kept = false;
    for (const order of resting) {
      const distance = Math.abs(Number(order.price) - Number(quote.price));
      if (!kept && quote.wanted && distance <= plan.threshold) {
        kept = true;
        continue;
      }
      this.cancelling.set(order.clientOrderId, context.now);
      actions.push({ kind: 'cancel', clientOrderId: order.clientOrderId });
    }
    if (kept || !quote.wanted || !canPlace || budget.left <= 0) return actions;
    // Seeded size jitter, so quotes of many makers do not all look alike.
    const notional = this.orderNotional * (0.8 + 0.4 * this.random.next());
    const quantity = quantityForNotional(notional, Number(quote.price), plan.rules);
    if (quantity === undefined) return actions;
    budget.left -= 1;
    actions.push({
      kind: 'place',
      intent: limitIntent(this.id, symbol, quote.side, quantity, quote.price, context.now),
    });
    return actions;
  }

  /** Where the bid and ask should be now; undefined without a usable book and rules. */
  private plan(symbol: string, context: StrategyContext): Plan | undefined {
    const rules = context.rules(symbol);
    const mid = midOf(context.book(symbol));
    if (!rules || mid === undefined) return undefined;
    const tick = Number(rules.tickSize);
    const offset = Math.max(this.offsetTicks * tick, (this.offsetBps * mid) / 10_000);
    // A millionth of a tick of slack, so float noise on exactly the threshold does not re-quote.
    const threshold =
      Math.max(this.requoteTicks * tick, (this.requoteBps * mid) / 10_000) + tick * 1e-6;
    const lean = clamp((context.position(symbol) * mid) / this.maxPositionNotional, -1, 1);
    const skew = lean * offset;
    const bid = mid - offset - skew;
    if (!(bid > tick)) return undefined;
    const ask = mid + offset - skew;
    const quotes: Quote[] = [
      { side: 'BUY', price: roundToStep(bid, rules.tickSize, 'down'), wanted: lean < 1 },
      { side: 'SELL', price: roundToStep(ask, rules.tickSize, 'up'), wanted: lean > -1 },
    ];
    return { rules, quotes, threshold };
  }

  /** Drops cancels whose order is gone; lets a cancel that did not land be sent again. */
  private forgetSettledCancels(open: readonly OrderRecord[], now: number): void {
    const openIds = new Set(open.map((order) => order.clientOrderId));
    for (const [clientOrderId, at] of this.cancelling) {
      if (!openIds.has(clientOrderId) || now - at >= this.cancelRetryMs) {
        this.cancelling.delete(clientOrderId);
      }
    }
  }
}

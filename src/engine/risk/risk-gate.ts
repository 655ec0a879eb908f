import { EventEmitter } from 'node:events';
import type { OrderIntent } from '../strategies/index.js';
import { OrderRateThrottle, type ThrottleState } from './throttle.js';

/** Limits that apply to each strategy on its own. */
export interface RiskLimits {
  /** Largest value of one order, in the quote asset. Default 10 000. */
  maxOrderNotional: number;
  /** Most orders a strategy may have resting (open or in flight) at once. Default 20. */
  maxOpenOrders: number;
  /** Largest absolute position value in one symbol, in the quote asset. Default 50 000. */
  maxPositionNotional: number;
}

/** The limits every strategy gets unless configured otherwise. */
export const DEFAULT_RISK_LIMITS: Readonly<RiskLimits> = Object.freeze({
  maxOrderNotional: 10_000,
  maxOpenOrders: 20,
  maxPositionNotional: 50_000,
});

export interface RiskGateOptions {
  /** Limits of every strategy, over DEFAULT_RISK_LIMITS. */
  limits?: Partial<RiskLimits>;
  /** Per-strategy overrides, by strategy id, over `limits`. */
  perStrategy?: Record<string, Partial<RiskLimits>>;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: () => number;
}

/** What the strategy already holds in the intent's symbol. */
export interface Exposure {
  /** The strategy's orders resting or in flight (all symbols). */
  openOrders: number;
  /** Net base-asset position in the intent's symbol; negative when short. */
  positionBase: number;
  /**
   * Reference price (mid or last) for valuing a market order and the position;
   * undefined when none is known. A limit order is then valued at its own
   * price; a market order, whose value cannot be bounded, is refused as max_notional.
   */
  price: number | undefined;
}

export type RiskRefusalReason =
  'halted' | 'throttled' | 'max_notional' | 'max_open_orders' | 'max_position';

export type RiskDecision = { ok: true } | { ok: false; reason: RiskRefusalReason };

export interface RiskGateEvents {
  halt: [{ reason: string; at: number }];
  resume: [{ at: number; haltedForMs: number; reason: string }];
  throttle: [ThrottleState & { at: number; fromPerSecond: number }];
}

const OK: RiskDecision = Object.freeze({ ok: true });

/**
 * The last check before an intent becomes an order. Per-strategy limits on
 * order value, resting orders and position, plus one global halt switch that
 * the watchdog and the invariant checker throw when trading must stop, and
 * a global rate throttle the watchdog sets after a venue's rate limit.
 * Checks are synchronous and allocation-free on the accepting path.
 */
export class RiskGate extends EventEmitter<RiskGateEvents> {
  private readonly base: RiskLimits;
  private readonly overrides = new Map<string, Partial<RiskLimits>>();
  private readonly now: () => number;
  private haltState: { reason: string; at: number } | undefined;
  private readonly refusalCounts: Record<RiskRefusalReason, number> = {
    halted: 0,
    throttled: 0,
    max_notional: 0,
    max_open_orders: 0,
    max_position: 0,
  };
  private acceptedCount = 0;
  private readonly throttler: OrderRateThrottle;

  constructor(options: RiskGateOptions = {}) {
    super();
    this.base = { ...DEFAULT_RISK_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
    this.throttler = new OrderRateThrottle(this.now);
    for (const [id, limits] of Object.entries(options.perStrategy ?? {})) {
      this.overrides.set(id, limits);
    }
  }

  /** True while trading is halted. */
  get halted(): boolean {
    return this.haltState !== undefined;
  }

  /** Why trading is halted, or undefined. */
  get haltReason(): string | undefined {
    return this.haltState?.reason;
  }

  /** Stops every new order. A second halt keeps the first reason and emits nothing. */
  halt(reason: string): void {
    if (this.haltState) return;
    this.haltState = { reason, at: this.now() };
    this.emit('halt', { ...this.haltState });
  }

  /** Lets orders through again; does nothing when not halted. */
  resume(): void {
    const state = this.haltState;
    if (!state) return;
    this.haltState = undefined;
    const at = this.now();
    this.emit('resume', { at, haltedForMs: at - state.at, reason: state.reason });
  }

  /**
   * Admits new orders at `fraction` of the recent accepted rate (at least one
   * a second) for `forMs`, then at any rate again. Returns what is in force.
   */
  throttle(fraction: number, forMs: number): ThrottleState {
    const fromPerSecond = this.throttler.recentRate();
    const state = this.throttler.throttle(fraction, forMs);
    this.emit('throttle', { ...state, at: this.now(), fromPerSecond });
    return state;
  }

  /** The rate throttle in force, or undefined. */
  get throttled(): ThrottleState | undefined {
    return this.throttler.active;
  }

  /** The limits in force for a strategy. */
  limitsFor(strategyId: string): RiskLimits {
    return { ...this.base, ...this.overrides.get(strategyId) };
  }

  /** Replaces a strategy's overrides. */
  setLimits(strategyId: string, limits: Partial<RiskLimits>): void {
    this.overrides.set(strategyId, limits);
  }

  /**
   * Whether the intent may be sent. Checks in order: halt, order value,
   * resting orders (only for orders that rest: LIMIT GTC and LIMIT_MAKER),
   * position, and last the rate throttle (so only orders that would go count). An order that leaves the absolute position no larger (a sell
   * when long, a buy when short) is never refused for position.
   */
  check(intent: OrderIntent, exposure: Exposure): RiskDecision {
    if (this.haltState) return this.refuse('halted');
    const limits = this.overrides.has(intent.strategyId)
      ? this.limitsFor(intent.strategyId)
      : this.base;
    const quantity = Number(intent.quantity);
    const limitPrice = intent.price === null ? undefined : Number(intent.price);
    const price = limitPrice ?? exposure.price ?? Number.NaN;
    const markPrice = exposure.price ?? price;
    if (!(quantity * price <= limits.maxOrderNotional)) return this.refuse('max_notional');
    if (rests(intent) && exposure.openOrders >= limits.maxOpenOrders) {
      return this.refuse('max_open_orders');
    }
    const before = exposure.positionBase;
    const after = before + (intent.side === 'BUY' ? quantity : -quantity);
    const reduces = Math.abs(after) <= Math.abs(before);
    if (!reduces && !(Math.abs(after) * markPrice <= limits.maxPositionNotional)) {
      return this.refuse('max_position');
    }
    if (!this.throttler.admit()) return this.refuse('throttled');
    this.acceptedCount += 1;
    return OK;
  }

  /** Intents accepted and refused (by reason) since construction. */
  get stats(): { accepted: number; refused: Record<RiskRefusalReason, number> } {
    return { accepted: this.acceptedCount, refused: { ...this.refusalCounts } };
  }

  private refuse(reason: RiskRefusalReason): RiskDecision {
    this.refusalCounts[reason] += 1;
    return { ok: false, reason };
  }
}

/** Orders that stay on the book: IOC, FOK and market orders never rest. */
function rests(intent: OrderIntent): boolean {
  if (intent.type === 'MARKET') return false;
  return intent.timeInForce !== 'IOC' && intent.timeInForce !== 'FOK';
}

import { describe, expect, it } from 'vitest';
import type { OrderIntent } from '../strategies/index.js';
import { DEFAULT_RISK_LIMITS, RiskGate } from './risk-gate.js';

function intent(overrides: Partial<OrderIntent> = {}): OrderIntent {
  return {
    strategyId: 'rt01',
    symbol: 'BTC/USDT',
    side: 'BUY',
    type: 'MARKET',
    quantity: '0.01',
    price: null,
    timeInForce: null,
    intendedAt: 0,
    ...overrides,
  };
}

const FLAT = { openOrders: 0, positionBase: 0, price: 65000 };

describe('RiskGate', () => {
  it('lets an ordinary order through with the defaults', () => {
    expect(new RiskGate().check(intent(), FLAT)).toEqual({ ok: true });
    expect(DEFAULT_RISK_LIMITS).toEqual({
      maxOrderNotional: 10_000,
      maxOpenOrders: 20,
      maxPositionNotional: 50_000,
    });
  });

  it('refuses orders worth more than maxOrderNotional, valued at the limit or reference price', () => {
    const gate = new RiskGate({ limits: { maxOrderNotional: 1000 } });
    expect(gate.check(intent({ quantity: '0.02' }), FLAT)).toEqual({
      ok: false,
      reason: 'max_notional',
    });
    const limit = intent({ type: 'LIMIT', timeInForce: 'GTC', quantity: '0.02', price: '40000' });
    expect(gate.check(limit, FLAT).ok).toBe(true);
    expect(gate.check(intent({ quantity: 'junk' }), FLAT).ok).toBe(false);
  });

  it('refuses a market order it cannot value, and values a limit order at its own price', () => {
    const gate = new RiskGate();
    const unknownPrice = { ...FLAT, price: undefined };
    expect(gate.check(intent(), unknownPrice)).toEqual({ ok: false, reason: 'max_notional' });
    const limit = intent({ type: 'LIMIT', timeInForce: 'GTC', price: '65000' });
    expect(gate.check(limit, unknownPrice)).toEqual({ ok: true });
  });

  it('caps resting orders, but not orders that never rest', () => {
    const gate = new RiskGate({ limits: { maxOpenOrders: 2 } });
    const exposure = { ...FLAT, openOrders: 2 };
    const gtc = intent({ type: 'LIMIT', timeInForce: 'GTC', price: '65000' });
    expect(gate.check(gtc, exposure)).toEqual({ ok: false, reason: 'max_open_orders' });
    expect(gate.check(intent({ type: 'LIMIT_MAKER', price: '65000' }), exposure).ok).toBe(false);
    expect(gate.check({ ...gtc, timeInForce: 'IOC' }, exposure).ok).toBe(true);
    expect(gate.check(intent(), exposure).ok).toBe(true);
  });

  it('caps the position, but always lets an order that reduces it through', () => {
    const gate = new RiskGate({ limits: { maxPositionNotional: 1000, maxOrderNotional: 5000 } });
    const long = { ...FLAT, positionBase: 0.02 }; // 1300 USDT, over the limit
    expect(gate.check(intent({ side: 'BUY' }), long)).toEqual({
      ok: false,
      reason: 'max_position',
    });
    expect(gate.check(intent({ side: 'SELL' }), long)).toEqual({ ok: true });
    // Selling through flat to a short bigger than the limit adds risk again.
    expect(gate.check(intent({ side: 'SELL', quantity: '0.06' }), long).ok).toBe(false);
    const short = { ...FLAT, positionBase: -0.02 };
    expect(gate.check(intent({ side: 'BUY' }), short)).toEqual({ ok: true });
    expect(gate.check(intent({ side: 'SELL' }), short).ok).toBe(false);
  });

  it('applies per-strategy overrides', () => {
    const gate = new RiskGate({ perStrategy: { mm02: { maxOrderNotional: 10 } } });
    expect(gate.check(intent({ strategyId: 'mm02' }), FLAT).ok).toBe(false);
    expect(gate.check(intent(), FLAT).ok).toBe(true);
    gate.setLimits('rt01', { maxOrderNotional: 10 });
    expect(gate.limitsFor('rt01').maxOrderNotional).toBe(10);
    expect(gate.check(intent(), FLAT).ok).toBe(false);
  });

  it('halts everything until resumed, with events', () => {
    let clock = 1000;
    const gate = new RiskGate({ now: () => clock });
    const events: unknown[] = [];
    gate.on('halt', (event) => events.push(['halt', event]));
    gate.on('resume', (event) => events.push(['resume', event]));
    gate.halt('invariant broken');
    gate.halt('second reason');
    expect(gate.halted).toBe(true);
    expect(gate.haltReason).toBe('invariant broken');
    expect(gate.check(intent({ side: 'SELL' }), { ...FLAT, positionBase: 1 })).toEqual({
      ok: false,
      reason: 'halted',
    });
    clock = 3500;
    gate.resume();
    gate.resume();
    expect(gate.halted).toBe(false);
    expect(gate.check(intent(), FLAT).ok).toBe(true);
    expect(events).toEqual([
      ['halt', { reason: 'invariant broken', at: 1000 }],
      ['resume', { at: 3500, haltedForMs: 2500, reason: 'invariant broken' }],
    ]);
  });

  it('counts acceptances and refusals by reason', () => {
    const gate = new RiskGate({ limits: { maxOrderNotional: 100 } });
    gate.check(intent({ quantity: '0.001' }), FLAT);
    gate.check(intent(), FLAT);
    gate.check(intent(), FLAT);
    gate.halt('test');
    gate.check(intent(), FLAT);
    expect(gate.stats).toEqual({
      accepted: 1,
      refused: { halted: 1, throttled: 0, max_notional: 2, max_open_orders: 0, max_position: 0 },
    });
  });

  it('throttles new orders to a share of the recent rate, refusing the excess as throttled', () => {
    let now = 5_000_000;
    const gate = new RiskGate({ now: () => now });
    const throttles: unknown[] = [];
    gate.on('throttle', (event) => throttles.push(event));
    for (let i = 0; i < 100; i += 1) {
      expect(gate.check(intent(), FLAT).ok).toBe(true);
      now += 100;
    }
    expect(gate.throttle(0.5, 2_000)).toEqual({ perSecond: 5, until: now + 2_000 });
    expect(throttles).toEqual([{ perSecond: 5, until: now + 2_000, at: now, fromPerSecond: 10 }]);
    let accepted = 0;
    for (let i = 0; i < 20; i += 1) {
      if (gate.check(intent(), FLAT).ok) accepted += 1;
      now += 100;
    }
    expect(accepted).toBeLessThanOrEqual(11);
    expect(gate.stats.refused.throttled).toBe(20 - accepted);
    expect(gate.throttled).toBeUndefined();
    expect(gate.check(intent(), FLAT).ok).toBe(true);
  });
});

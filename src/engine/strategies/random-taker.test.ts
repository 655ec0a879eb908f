import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../common/index.js';
import { fakeContext } from '../../../tests/support/fake-strategy-context.js';
import { RandomTaker } from './random-taker.js';
import type { OrderIntent } from './strategy.js';

function taker(seed = 1, tradeProbability = 1): RandomTaker {
  return new RandomTaker({
    id: 'rt01',
    symbols: ['BTC/USDT'],
    random: new SeededRandom(seed),
    intervalMs: 1000,
    orderNotional: 100,
    tradeProbability,
  });
}

function intents(strategy: RandomTaker, ticks: number, position = 0): OrderIntent[] {
  const context = fakeContext();
  context.setMid('BTC/USDT', 65000);
  context.positions.set('BTC/USDT', position);
  const result: OrderIntent[] = [];
  for (let tick = 0; tick < ticks; tick += 1) {
    context.now += 1000;
    for (const action of strategy.decide(context)) {
      if (action.kind === 'place') result.push(action.intent);
    }
  }
  return result;
}

describe('RandomTaker', () => {
  it('places market orders of about orderNotional on the step size', () => {
    const orders = intents(taker(), 20);
    expect(orders).toHaveLength(20);
    for (const order of orders) {
      expect(order).toMatchObject({ strategyId: 'rt01', type: 'MARKET', price: null });
      expect(order.quantity).toMatch(/^0\.\d{5}$/);
      expect(Number(order.quantity) * 65000).toBeGreaterThan(95);
      expect(Number(order.quantity) * 65000).toBeLessThan(105);
    }
    const buys = orders.filter((order) => order.side === 'BUY').length;
    expect(buys).toBeGreaterThan(3);
    expect(buys).toBeLessThan(17);
  });

  it('trades on about tradeProbability of its ticks', () => {
    const count = intents(taker(3, 0.3), 1000).length;
    expect(count).toBeGreaterThan(240);
    expect(count).toBeLessThan(360);
  });

  it('leans back toward flat as its position grows', () => {
    const long = intents(taker(5), 200, 0.0154 * 0.8); // ~0.8 × the 1000 USDT limit
    const sells = long.filter((order) => order.side === 'SELL').length;
    expect(sells / long.length).toBeGreaterThan(0.8);
    const maxLong = intents(taker(5), 50, 1);
    expect(maxLong.every((order) => order.side === 'SELL')).toBe(true);
    const maxShort = intents(taker(5), 50, -1);
    expect(maxShort.every((order) => order.side === 'BUY')).toBe(true);
  });

  it('does nothing without a book or rules', () => {
    const strategy = taker();
    const context = fakeContext([]);
    expect(strategy.decide(context)).toEqual([]);
    context.setMid('BTC/USDT', 65000);
    expect(strategy.decide(context)).toEqual([]);
  });

  it('decides the same for the same seed and inputs', () => {
    expect(intents(taker(9, 0.5), 100)).toEqual(intents(taker(9, 0.5), 100));
    expect(intents(taker(9, 0.5), 100)).not.toEqual(intents(taker(10, 0.5), 100));
  });
});

import { describe, expect, it } from 'vitest';
import { buildStrategies } from './factory.js';
import { fakeContext } from '../../../tests/support/fake-strategy-context.js';
import type { Strategy } from './strategy.js';

const SYMBOLS = ['BTC/USDT', 'DOGE/USDT'];
const BINANCE_CLIENT_ORDER_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

function decisions(strategies: Strategy[], ticks: number): unknown[] {
  const context = fakeContext();
  const result: unknown[] = [];
  for (let tick = 0; tick < ticks; tick += 1) {
    context.now += 1000;
    context.setMid('BTC/USDT', 65000 * (1 + 0.002 * Math.sin(tick / 3)));
    context.setMid('DOGE/USDT', 0.12 * (1 + 0.002 * Math.cos(tick / 3)));
    for (const strategy of strategies) result.push(strategy.decide(context));
  }
  return result;
}

describe('buildStrategies', () => {
  it('cycles through the kinds with short unique ids', () => {
    const strategies = buildStrategies({ count: 6, symbols: SYMBOLS, seed: 1 });
    expect(strategies.map((s) => s.id)).toEqual(['rt01', 'mm02', 'mo03', 'rt04', 'mm05', 'mo06']);
    expect(strategies.map((s) => s.kind)).toEqual([
      'random-taker',
      'market-maker',
      'momentum',
      'random-taker',
      'market-maker',
      'momentum',
    ]);
  });

  it('builds 150 strategies whose client order ids fit the venue pattern', () => {
    const strategies = buildStrategies({ count: 150, symbols: SYMBOLS, seed: 1 });
    const ids = strategies.map((s) => s.id);
    expect(new Set(ids).size).toBe(150);
    expect(ids[0]).toBe('rt001');
    for (const id of ids)
      expect(`${id}-${Number.MAX_SAFE_INTEGER}`).toMatch(BINANCE_CLIENT_ORDER_ID);
  });

  it('gives each a non-empty subset of the symbols and covers them all', () => {
    const strategies = buildStrategies({ count: 50, symbols: SYMBOLS, seed: 4, intervalMs: 250 });
    const covered = new Set(strategies.flatMap((s) => s.symbols));
    expect(covered).toEqual(new Set(SYMBOLS));
    for (const strategy of strategies) {
      expect(strategy.symbols.length).toBeGreaterThan(0);
      expect(new Set(strategy.symbols).size).toBe(strategy.symbols.length);
      expect(strategy.intervalMs).toBe(250);
    }
  });

  it('follows the mix', () => {
    const strategies = buildStrategies({ count: 4, symbols: SYMBOLS, seed: 1, mix: ['momentum'] });
    expect(strategies.map((s) => s.id)).toEqual(['mo01', 'mo02', 'mo03', 'mo04']);
    expect(() =>
      buildStrategies({ count: 1, symbols: SYMBOLS, seed: 1, mix: ['nope' as 'momentum'] }),
    ).toThrow(/unknown strategy kind/);
  });

  it('makes the same strategies and decisions from the same seed', () => {
    const build = (seed: number) =>
      buildStrategies({ count: 12, symbols: SYMBOLS, seed, orderNotional: 50 });
    const first = build(42);
    const again = build(42);
    expect(again.map((s) => [s.id, s.symbols])).toEqual(first.map((s) => [s.id, s.symbols]));
    const a = decisions(first, 40);
    expect(decisions(again, 40)).toEqual(a);
    expect(decisions(build(43), 40)).not.toEqual(a);
    expect(a.flat().length).toBeGreaterThan(0);
  });

  it('refuses impossible requests', () => {
    expect(() => buildStrategies({ count: -1, symbols: SYMBOLS, seed: 1 })).toThrow(RangeError);
    expect(() => buildStrategies({ count: 2, symbols: [], seed: 1 })).toThrow(RangeError);
    expect(buildStrategies({ count: 0, symbols: [], seed: 1 })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { amount } from '../common/index.js';
import { LIQUIDITY_DEFAULTS, LiquidityProvider } from './liquidity.js';
import { symbolSpec } from './symbols.js';
import { Venue } from './venue.js';

function setup(seed: number) {
  const venue = new Venue({
    symbols: [symbolSpec('BTCUSDT')],
    accounts: [
      { apiKey: 'k', apiSecret: 's', balances: { USDT: amount('1000000'), BTC: amount('10') } },
    ],
  });
  const liquidity = new LiquidityProvider(venue, { ...LIQUIDITY_DEFAULTS, intervalMs: 0, seed });
  liquidity.start();
  return { venue, liquidity };
}

describe('LiquidityProvider', () => {
  it('quotes levels on both sides around the starting price', () => {
    const { venue } = setup(7);
    const book = venue.book('BTCUSDT');
    expect(book.bids.levelCount).toBe(LIQUIDITY_DEFAULTS.levels);
    expect(book.asks.levelCount).toBe(LIQUIDITY_DEFAULTS.levels);
    const mid = Number(book.mid()!) / 1e8;
    expect(mid).toBeGreaterThan(64_900);
    expect(mid).toBeLessThan(65_100);
    expect(book.bids.bestPrice()! < book.asks.bestPrice()!).toBe(true);
    // The provider's own orders are not client orders: the ledger stays empty.
    expect(venue.ledger.size).toBe(0);
  });

  it('walks the same path for the same seed and a different one for another', () => {
    const path = (seed: number) => {
      const { venue, liquidity } = setup(seed);
      const mids: bigint[] = [];
      for (let i = 0; i < 20; i += 1) {
        liquidity.step();
        mids.push(venue.book('BTCUSDT').mid()!);
      }
      return mids;
    };
    expect(path(42)).toEqual(path(42));
    expect(path(42)).not.toEqual(path(43));
  });

  it('fills a resting client order as maker when the price walks through it', () => {
    const { venue, liquidity } = setup(3);
    const ask = venue.book('BTCUSDT').asks.bestPrice()!;
    const { order } = venue.placeOrder('k', {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: ask + amount('50'),
      quantity: amount('0.01'),
    });
    expect(order.status).toBe('NEW');
    for (let i = 0; i < 500 && order.status === 'NEW'; i += 1) liquidity.step();
    expect(order.status).toBe('FILLED');
    const trade = venue.ledger.read().find((e) => e.event === 'TRADE');
    expect(trade).toMatchObject({
      event: 'TRADE',
      isMaker: true,
      clientOrderId: order.clientOrderId,
    });
    expect(venue.account('k')!.balance('BTC').locked).toBe(0n);
  });
});

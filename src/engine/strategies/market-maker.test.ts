import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../common/index.js';
import {
  fakeContext,
  openOrder,
  type FakeContext,
} from '../../../tests/support/fake-strategy-context.js';
import { MarketMaker, type MarketMakerSettings } from './market-maker.js';
import type { OrderIntent, StrategyAction } from './strategy.js';

function maker(overrides: Partial<MarketMakerSettings> = {}): MarketMaker {
  return new MarketMaker({
    id: 'mm02',
    symbols: ['DOGE/USDT'],
    random: new SeededRandom(2),
    intervalMs: 1000,
    orderNotional: 100,
    offsetTicks: 3,
    offsetBps: 0,
    requoteTicks: 2,
    requoteBps: 0,
    ...overrides,
  });
}

function places(actions: StrategyAction[]): OrderIntent[] {
  return actions.flatMap((action) => (action.kind === 'place' ? [action.intent] : []));
}

function cancels(actions: StrategyAction[]): string[] {
  return actions.flatMap((action) => (action.kind === 'cancel' ? [action.clientOrderId] : []));
}

/** Makes the placed intents rest, as the executor and journal would. */
function rest(context: FakeContext, intents: OrderIntent[]): void {
  for (const intent of intents) {
    context.open.push(openOrder('mm02', intent.symbol, intent.side, intent.price as string));
  }
}

describe('MarketMaker', () => {
  it('quotes one LIMIT GTC bid and ask a few ticks around the mid, on the tick size', () => {
    const context = fakeContext();
    context.setMid('DOGE/USDT', 0.12, 0.00002);
    const quotes = places(maker().decide(context));
    expect(quotes.map((q) => [q.side, q.price, q.type, q.timeInForce])).toEqual([
      ['BUY', '0.11997', 'LIMIT', 'GTC'],
      ['SELL', '0.12003', 'LIMIT', 'GTC'],
    ]);
    for (const quote of quotes) expect(Number(quote.quantity) * 0.12).toBeGreaterThan(5);
  });

  it('keeps quotes while the mid stays within the threshold', () => {
    const strategy = maker();
    const context = fakeContext();
    context.setMid('DOGE/USDT', 0.12, 0.00002);
    rest(context, places(strategy.decide(context)));
    context.setMid('DOGE/USDT', 0.12002, 0.00002);
    expect(strategy.decide(context)).toEqual([]);
  });

  it('cancels by client order id and re-quotes when the mid moves away', () => {
    const strategy = maker();
    const context = fakeContext();
    context.setMid('DOGE/USDT', 0.12, 0.00002);
    rest(context, places(strategy.decide(context)));
    const [bid, ask] = context.open;
    context.setMid('DOGE/USDT', 0.1201, 0.00002);
    const actions = strategy.decide(context);
    expect(cancels(actions)).toEqual([bid?.clientOrderId, ask?.clientOrderId]);
    expect(places(actions).map((q) => q.price)).toEqual(['0.12007', '0.12013']);
    // The cancelled orders still rest until the cancel lands: no second cancel, no new quote.
    rest(context, places(actions));
    expect(strategy.decide(context)).toEqual([]);
  });

  it('never exceeds its open-order allowance', () => {
    const strategy = maker({ maxOpenOrders: 3 });
    const context = fakeContext();
    context.setMid('DOGE/USDT', 0.12, 0.00002);
    rest(context, places(strategy.decide(context)));
    context.setMid('DOGE/USDT', 0.13, 0.00002);
    const actions = strategy.decide(context);
    expect(cancels(actions)).toHaveLength(2);
    expect(places(actions)).toHaveLength(1);
  });

  it('does not place while an earlier placement is in flight', () => {
    const context = fakeContext();
    context.setMid('DOGE/USDT', 0.12, 0.00002);
    context.inFlightCount = 1;
    expect(places(maker().decide(context))).toEqual([]);
  });

  it('leans its quotes against its position and stops adding at the limit', () => {
    const context = fakeContext();
    context.setMid('DOGE/USDT', 0.12, 0.00002);
    context.positions.set('DOGE/USDT', 4000); // 480 USDT long, limit 1000
    const [bid, ask] = places(maker().decide(context));
    expect(Number(bid?.price)).toBeLessThan(0.11997);
    expect(Number(ask?.price)).toBeLessThan(0.12003);
    context.positions.set('DOGE/USDT', 10_000); // at the limit
    expect(places(maker().decide(context)).map((q) => q.side)).toEqual(['SELL']);
  });

  it('uses the bps floor on markets with a tiny tick', () => {
    const strategy = maker({ symbols: ['BTC/USDT'], offsetBps: 2 });
    const context = fakeContext();
    context.setMid('BTC/USDT', 65000);
    const [bid, ask] = places(strategy.decide(context));
    expect(bid?.price).toBe('64987.00');
    expect(ask?.price).toBe('65013.00');
  });
});

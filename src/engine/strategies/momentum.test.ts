import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../common/index.js';
import { fakeContext, type FakeContext } from '../../../tests/support/fake-strategy-context.js';
import { Momentum, type MomentumSettings } from './momentum.js';
import type { StrategyAction } from './strategy.js';

function momentum(overrides: Partial<MomentumSettings> = {}): Momentum {
  return new Momentum({
    id: 'mo03',
    symbols: ['BTC/USDT'],
    random: new SeededRandom(3),
    intervalMs: 500,
    orderNotional: 100,
    windowMs: 5000,
    thresholdBps: 10,
    cooldownMs: 3000,
    ...overrides,
  });
}

/** Feeds one mid per 500 ms tick and collects the actions. */
function run(strategy: Momentum, context: FakeContext, mids: number[]): StrategyAction[] {
  const actions: StrategyAction[] = [];
  for (const mid of mids) {
    context.now += 500;
    context.setMid('BTC/USDT', mid, 0.02);
    actions.push(...strategy.decide(context));
  }
  return actions;
}

describe('Momentum', () => {
  it('stays out while the move is under the threshold', () => {
    const context = fakeContext();
    expect(run(momentum(), context, [65000, 65010, 65020, 65030, 65040, 65050])).toEqual([]);
  });

  it('buys a rise and sells a fall beyond the threshold, at market', () => {
    const context = fakeContext();
    const strategy = momentum();
    const up = run(strategy, context, [65000, 65030, 65080]); // +12.3 bps
    expect(up).toHaveLength(1);
    expect(up[0]).toMatchObject({
      kind: 'place',
      intent: { side: 'BUY', type: 'MARKET', price: null, symbol: 'BTC/USDT' },
    });
    context.now += 5000;
    const down = run(strategy, context, [65080, 65000, 64990]);
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({ intent: { side: 'SELL' } });
  });

  it('waits out the cool-down after an order', () => {
    const context = fakeContext();
    const strategy = momentum();
    const mids = [65000, 65100, 65200, 65300, 65400, 65500, 65600, 65700, 65800];
    const actions = run(strategy, context, mids);
    // One order at 65100, the next no sooner than 3 s (6 ticks) later.
    expect(actions).toHaveLength(2);
  });

  it('only measures the move within its window', () => {
    const context = fakeContext();
    const strategy = momentum({ windowMs: 1000 });
    // +20 bps over 4 s, but never more than 10 bps within 1 s.
    expect(
      run(strategy, context, [65000, 65016, 65032, 65048, 65064, 65080, 65096, 65112, 65130]),
    ).toEqual([]);
  });

  it('does not add to a position at its limit', () => {
    const context = fakeContext();
    context.positions.set('BTC/USDT', 0.02); // 1300 USDT long, limit 1000
    expect(run(momentum(), context, [65000, 65100])).toEqual([]);
    context.now += 5000;
    expect(run(momentum(), context, [65100, 65000])).toHaveLength(1);
  });
});

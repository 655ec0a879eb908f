import { describe, expect, it } from 'vitest';
import type { OrderIntent } from '../../src/engine/index.js';
import { eventually, fastStack } from '../support/engine-stack.js';

function marketBuy(n: number): OrderIntent {
  return {
    strategyId: `sd${n % 4}`,
    symbol: 'BTC/USDT',
    side: n % 2 === 0 ? 'BUY' : 'SELL',
    type: 'MARKET',
    quantity: '0.001',
    price: null,
    timeInForce: null,
    intendedAt: Date.now(),
  };
}

/**
 * Closing the engine with orders in flight and more queued behind the
 * bulkhead: every place() settles, none is left hanging, nothing rejects.
 */
describe('engine shutdown', () => {
  it('settles every in-flight and queued intent when the engine closes', async () => {
    const stack = await fastStack({
      strategies: 1,
      engine: { autoTrade: false, executor: { maxInFlight: 2 } },
    });
    try {
      const engine = stack.engine.engine!;
      await eventually(
        () => engine.components().market_data['lastSuccessAt'] !== undefined,
        10_000,
        'market data',
      );
      await stack.proxyClient.addToxic('exchange', {
        type: 'http_latency',
        attributes: { latency: 300 },
      });
      const outcomes = Array.from({ length: 20 }, (_, n) => engine.executor.place(marketBuy(n)));
      const settled = Promise.allSettled(outcomes);
      await engine.close();
      const results = await settled;
      expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
      expect(engine.executor.inFlight).toBe(0);
    } finally {
      await stack.close();
    }
  }, 60_000);
});

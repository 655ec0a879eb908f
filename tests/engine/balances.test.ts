import { describe, expect, it } from 'vitest';
import type { OrderIntent } from '../../src/engine/index.js';
import { eventually, stackForSuite } from '../support/engine-stack.js';

function marketOrder(side: 'BUY' | 'SELL', quantity: string): OrderIntent {
  return {
    strategyId: 'bal01',
    symbol: 'BTC/USDT',
    side,
    type: 'MARKET',
    quantity,
    price: null,
    timeInForce: null,
    intendedAt: Date.now(),
  };
}

/**
 * The balance check explains the venue's balances from the journal's fills
 * and the venue's fees, to the last 1e-8; a journal that claims a fill the
 * venue never made is caught.
 */
describe('balance reconciliation', () => {
  const stack = stackForSuite({ strategies: 1, seed: 2, engine: { autoTrade: false } });

  it('explains every balance exactly, and catches a fill the venue never made', async () => {
    const engine = stack().engine.engine!;
    // Market orders are valued at the mid for the risk check: wait for the first book.
    await eventually(
      () => engine.components().market_data['lastSuccessAt'] !== undefined,
      10_000,
      'market data',
    );
    for (const [side, quantity] of [
      ['BUY', '0.003'],
      ['SELL', '0.001'],
      ['BUY', '0.0025'],
    ] as const) {
      expect((await engine.executor.place(marketOrder(side, quantity))).kind).toBe('placed');
    }
    const clean = await engine.checkBalances();
    expect(clean).toMatchObject({ checked: true, ok: true, fillMismatches: [], unknownFills: 0 });
    expect(clean.assets.map((asset) => asset.asset)).toEqual(['BTC', 'USDT']);

    const [order] = await engine.journal.orders();
    const doctored = {
      ...order!,
      executedQty: (Number(order!.executedQty) + 0.001).toFixed(5),
      version: order!.version + 1,
    };
    await engine.journal.append({ kind: 'RECONCILED', order: doctored });
    const broken = await engine.checkBalances();
    expect(broken.ok).toBe(false);
    expect(broken.fillMismatches).toEqual([
      expect.objectContaining({ clientOrderId: order!.clientOrderId }),
    ]);
    const btc = broken.assets.find((asset) => asset.asset === 'BTC');
    expect(btc?.difference).toBe(order!.side === 'BUY' ? '-0.00100000' : '0.00100000');
  }, 60_000);
});

import { beforeEach, describe, expect, it } from 'vitest';
import { amount, formatAmount } from '../common/index.js';
import { BinanceError } from './errors.js';
import type { OrderRequest } from './orders.js';
import { symbolSpec } from './symbols.js';
import { Venue } from './venue.js';

const MAKER = 'maker-key';
const TAKER = 'taker-key';

function venue(): Venue {
  let clock = 1_700_000_000_000;
  return new Venue({
    symbols: [symbolSpec('BTCUSDT')],
    accounts: [MAKER, TAKER].map((apiKey) => ({
      apiKey,
      apiSecret: 's',
      balances: { USDT: amount('1000000'), BTC: amount('10') },
    })),
    now: () => (clock += 1),
  });
}

function limit(
  side: 'BUY' | 'SELL',
  price: string,
  quantity: string,
  extra: Partial<OrderRequest> = {},
): OrderRequest {
  return {
    symbol: 'BTCUSDT',
    side,
    type: 'LIMIT',
    timeInForce: 'GTC',
    price: amount(price),
    quantity: amount(quantity),
    ...extra,
  };
}

function market(side: 'BUY' | 'SELL', extra: Partial<OrderRequest>): OrderRequest {
  return { symbol: 'BTCUSDT', side, type: 'MARKET', ...extra };
}

function balance(v: Venue, key: string, asset: string) {
  const b = v.account(key)!.balance(asset);
  return { free: formatAmount(b.free), locked: formatAmount(b.locked) };
}

function rejection(fn: () => unknown): { code: number; msg: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof BinanceError) return error.toBody();
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('Venue matching', () => {
  let v: Venue;
  beforeEach(() => {
    v = venue();
  });

  it('rests a limit order that does not cross and locks its funds', () => {
    const { order, fills } = v.placeOrder(MAKER, limit('BUY', '60000', '0.5'));
    expect(order.status).toBe('NEW');
    expect(fills).toEqual([]);
    expect(balance(v, MAKER, 'USDT')).toEqual({
      free: '970000.00000000',
      locked: '30000.00000000',
    });
    expect(v.openOrders(MAKER).map((o) => o.orderId)).toEqual([order.orderId]);
  });

  it('fills at the resting price in price-time priority, across levels', () => {
    const first = v.placeOrder(MAKER, limit('SELL', '60010', '0.2')).order;
    const second = v.placeOrder(MAKER, limit('SELL', '60010', '0.2')).order;
    const better = v.placeOrder(MAKER, limit('SELL', '60005', '0.1')).order;
    const { order, fills } = v.placeOrder(TAKER, limit('BUY', '60020', '0.35'));
    expect(fills.map((f) => [formatAmount(f.price), formatAmount(f.qty)])).toEqual([
      ['60005.00000000', '0.10000000'],
      ['60010.00000000', '0.20000000'],
      ['60010.00000000', '0.05000000'],
    ]);
    expect(better.status).toBe('FILLED');
    expect(order.status).toBe('FILLED');
    expect(first.status).toBe('FILLED');
    expect(second.status).toBe('PARTIALLY_FILLED');
    expect(formatAmount(second.executedQty)).toBe('0.05000000');
    // The taker paid the makers' prices, not its limit, and nothing stays locked.
    expect(formatAmount(order.cummulativeQuoteQty)).toBe('21003.00000000');
    expect(balance(v, TAKER, 'USDT')).toEqual({ free: '978997.00000000', locked: '0.00000000' });
  });

  it('charges commission in the asset received: taker and maker at 10 bps', () => {
    v.placeOrder(MAKER, limit('SELL', '50000', '1'));
    const { fills } = v.placeOrder(TAKER, market('BUY', { quantity: amount('1') }));
    expect(fills[0]).toMatchObject({
      commission: amount('0.001'),
      commissionAsset: 'BTC',
      isMaker: false,
    });
    expect(balance(v, TAKER, 'BTC').free).toBe('10.99900000');
    expect(balance(v, TAKER, 'USDT').free).toBe('950000.00000000');
    expect(balance(v, MAKER, 'USDT').free).toBe('1049950.00000000');
    expect(balance(v, MAKER, 'BTC')).toEqual({ free: '9.00000000', locked: '0.00000000' });
  });

  it('rests the unfilled part of a partially filled GTC order and keeps only what it needs locked', () => {
    v.placeOrder(MAKER, limit('SELL', '59000', '0.1'));
    const { order } = v.placeOrder(TAKER, limit('BUY', '60000', '0.3'));
    expect(order.status).toBe('PARTIALLY_FILLED');
    expect(formatAmount(order.executedQty)).toBe('0.10000000');
    // 0.1 bought at 59000; 0.2 still resting at 60000 holds 12000.
    expect(balance(v, TAKER, 'USDT')).toEqual({
      free: '982100.00000000',
      locked: '12000.00000000',
    });
    expect(v.book('BTCUSDT').bids.bestPrice()).toBe(amount('60000'));
  });

  it('IOC fills what it can and expires the rest', () => {
    v.placeOrder(MAKER, limit('SELL', '60000', '0.1'));
    const { order } = v.placeOrder(TAKER, limit('BUY', '60000', '0.3', { timeInForce: 'IOC' }));
    expect(order.status).toBe('EXPIRED');
    expect(formatAmount(order.executedQty)).toBe('0.10000000');
    expect(v.book('BTCUSDT').bids.bestPrice()).toBeUndefined();
    expect(balance(v, TAKER, 'USDT').locked).toBe('0.00000000');
  });

  it('FOK fills entirely or not at all', () => {
    v.placeOrder(MAKER, limit('SELL', '60000', '0.1'));
    const killed = v.placeOrder(TAKER, limit('BUY', '60000', '0.3', { timeInForce: 'FOK' }));
    expect(killed.order.status).toBe('EXPIRED');
    expect(killed.fills).toEqual([]);
    expect(v.book('BTCUSDT').asks.bestPrice()).toBe(amount('60000'));
    const filled = v.placeOrder(TAKER, limit('BUY', '60000', '0.1', { timeInForce: 'FOK' }));
    expect(filled.order.status).toBe('FILLED');
    expect(balance(v, TAKER, 'USDT')).toEqual({ free: '994000.00000000', locked: '0.00000000' });
  });

  it('market order by quote amount spends up to quoteOrderQty in whole steps', () => {
    v.placeOrder(MAKER, limit('SELL', '50000', '1'));
    const { order } = v.placeOrder(TAKER, market('BUY', { quoteOrderQty: amount('1000') }));
    expect(order.status).toBe('FILLED');
    expect(formatAmount(order.executedQty)).toBe('0.02000000');
    expect(formatAmount(order.cummulativeQuoteQty)).toBe('1000.00000000');
  });

  it('market order on a thin book fills what exists and expires', () => {
    v.placeOrder(MAKER, limit('SELL', '50000', '0.1'));
    const { order } = v.placeOrder(TAKER, market('BUY', { quantity: amount('0.5') }));
    expect(order.status).toBe('EXPIRED');
    expect(formatAmount(order.executedQty)).toBe('0.10000000');
  });

  it('LIMIT_MAKER is refused when it would take', () => {
    v.placeOrder(MAKER, limit('SELL', '60000', '0.1'));
    expect(
      rejection(() =>
        v.placeOrder(TAKER, {
          ...limit('BUY', '60000', '0.1'),
          type: 'LIMIT_MAKER',
          timeInForce: undefined,
        }),
      ),
    ).toEqual({
      code: -2010,
      msg: 'Order would immediately match and take.',
    });
  });

  it('cancel releases funds; a second cancel is -2011 and an unknown query -2013', () => {
    const { order } = v.placeOrder(MAKER, limit('SELL', '70000', '2'));
    expect(balance(v, MAKER, 'BTC')).toEqual({ free: '8.00000000', locked: '2.00000000' });
    v.cancelOrder(MAKER, 'BTCUSDT', { orderId: order.orderId });
    expect(order.status).toBe('CANCELED');
    expect(balance(v, MAKER, 'BTC')).toEqual({ free: '10.00000000', locked: '0.00000000' });
    expect(rejection(() => v.cancelOrder(MAKER, 'BTCUSDT', { orderId: order.orderId })).code).toBe(
      -2011,
    );
    expect(rejection(() => v.getOrder(MAKER, 'BTCUSDT', { orderId: 999 })).code).toBe(-2013);
    // Another account cannot see or cancel it.
    expect(rejection(() => v.getOrder(TAKER, 'BTCUSDT', { orderId: order.orderId })).code).toBe(
      -2013,
    );
  });

  it('a client order id is unique among open orders only, as on the venue', () => {
    v.placeOrder(MAKER, limit('SELL', '60000', '1'));
    const resting = v.placeOrder(TAKER, limit('BUY', '50000', '0.1', { clientOrderId: 'abc' }));
    expect(
      rejection(() => v.placeOrder(TAKER, limit('BUY', '50000', '0.1', { clientOrderId: 'abc' }))),
    ).toEqual({
      code: -2010,
      msg: 'Duplicate order sent.',
    });
    v.cancelOrder(TAKER, 'BTCUSDT', { clientOrderId: 'abc' });
    // Once the first is closed the same id makes a second, distinct order.
    const first = v.placeOrder(
      TAKER,
      market('BUY', { quantity: amount('0.1'), clientOrderId: 'mkt' }),
    ).order;
    const again = v.placeOrder(
      TAKER,
      market('BUY', { quantity: amount('0.1'), clientOrderId: 'mkt' }),
    ).order;
    expect(again.orderId).not.toBe(first.orderId);
    expect(v.getOrder(TAKER, 'BTCUSDT', { clientOrderId: 'mkt' }).orderId).toBe(again.orderId);
    expect(resting.order.status).toBe('CANCELED');
  });

  it('refuses orders the balance cannot cover', () => {
    expect(rejection(() => v.placeOrder(TAKER, limit('SELL', '60000', '11'))).msg).toBe(
      'Account has insufficient balance for requested action.',
    );
    expect(rejection(() => v.placeOrder(TAKER, limit('BUY', '60000', '17'))).code).toBe(-2010);
    expect(balance(v, TAKER, 'USDT')).toEqual({ free: '1000000.00000000', locked: '0.00000000' });
  });

  it('enforces the symbol filters', () => {
    expect(rejection(() => v.placeOrder(TAKER, limit('BUY', '60000.001', '0.1'))).msg).toBe(
      'Filter failure: PRICE_FILTER',
    );
    expect(rejection(() => v.placeOrder(TAKER, limit('BUY', '60000', '0.000001'))).msg).toBe(
      'Filter failure: LOT_SIZE',
    );
    expect(rejection(() => v.placeOrder(TAKER, limit('BUY', '1', '1'))).msg).toBe(
      'Filter failure: NOTIONAL',
    );
    expect(
      rejection(() => v.placeOrder(TAKER, market('BUY', { quantity: amount('0.00001') }))).msg,
    ).toBe('Filter failure: NOTIONAL');
  });

  it('records every accepted order, fill and status change in the ledger, in order', () => {
    const maker = v.placeOrder(MAKER, limit('SELL', '60000', '0.2', { clientOrderId: 'm1' })).order;
    v.placeOrder(TAKER, limit('BUY', '60000', '0.2', { clientOrderId: 't1' }));
    const events = v.ledger
      .read()
      .map((e) => [e.seq, e.event, e.clientOrderId, 'status' in e ? e.status : '']);
    expect(events).toEqual([
      [1, 'ORDER_ACCEPTED', 'm1', ''],
      [2, 'ORDER_ACCEPTED', 't1', ''],
      [3, 'TRADE', 't1', ''],
      [4, 'TRADE', 'm1', ''],
      [5, 'ORDER_STATUS', 'm1', 'FILLED'],
      [6, 'ORDER_STATUS', 't1', 'FILLED'],
    ]);
    expect(maker.status).toBe('FILLED');
    v.reset();
    expect(v.ledger.read()).toEqual([]);
    expect(balance(v, MAKER, 'BTC').free).toBe('10.00000000');
    // Numbering goes on after a reset, so a reader's cursor never skips the new run's entries.
    v.placeOrder(MAKER, limit('SELL', '60000', '0.2', { clientOrderId: 'after' }));
    expect(v.ledger.read(7).map((e) => [e.seq, e.clientOrderId])).toEqual([[7, 'after']]);
    expect(v.ledger.read(1)).toHaveLength(1);
  });

  it('keeps an order whole when a ledger listener throws', () => {
    const errors: unknown[] = [];
    const noisy = new Venue({
      symbols: [symbolSpec('BTCUSDT')],
      accounts: [MAKER, TAKER].map((apiKey) => ({
        apiKey,
        apiSecret: 's',
        balances: { USDT: amount('1000000'), BTC: amount('10') },
      })),
      onListenerError: (error) => errors.push(error),
    });
    noisy.ledger.subscribe(() => {
      throw new Error('listener bug');
    });
    const maker = noisy.placeOrder(MAKER, limit('SELL', '60000', '0.1')).order;
    const taker = noisy.placeOrder(TAKER, limit('BUY', '60000', '0.1')).order;
    expect([maker.status, taker.status]).toEqual(['FILLED', 'FILLED']);
    expect(balance(noisy, MAKER, 'BTC')).toEqual({ free: '9.90000000', locked: '0.00000000' });
    expect(errors.length).toBeGreaterThan(0);
  });

  it('checks the balance of a fill-or-kill order before killing it', () => {
    expect(
      rejection(() => v.placeOrder(TAKER, limit('BUY', '60000', '100', { timeInForce: 'FOK' })))
        .msg,
    ).toBe('Account has insufficient balance for requested action.');
    const killed = v.placeOrder(TAKER, limit('BUY', '60000', '1', { timeInForce: 'FOK' })).order;
    expect(killed.status).toBe('EXPIRED');
    expect(balance(v, TAKER, 'USDT')).toEqual({ free: '1000000.00000000', locked: '0.00000000' });
  });

  it('refuses orders beyond MAX_NUM_ORDERS with -2010', () => {
    for (let i = 0; i < 200; i += 1) v.placeOrder(TAKER, limit('BUY', '1000', '0.01'));
    expect(rejection(() => v.placeOrder(TAKER, limit('BUY', '1000', '0.01')))).toEqual({
      code: -2010,
      msg: 'Filter failure: MAX_NUM_ORDERS',
    });
    v.cancelAll(TAKER, 'BTCUSDT');
    expect(v.placeOrder(TAKER, limit('BUY', '1000', '0.01')).order.status).toBe('NEW');
  });

  it('applies the maximum notional to limit orders only', () => {
    v.placeOrder(MAKER, limit('SELL', '60000', '5'));
    expect(rejection(() => v.placeOrder(TAKER, limit('BUY', '1000000', '9.1'))).msg).toBe(
      'Filter failure: NOTIONAL',
    );
    // A market order over the maximum is accepted and takes what the book holds.
    const big = v.placeOrder(TAKER, market('BUY', { quoteOrderQty: amount('9000001') })).order;
    expect(big.status).toBe('EXPIRED');
    expect(formatAmount(big.executedQty)).toBe('5.00000000');
  });
});

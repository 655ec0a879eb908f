import { describe, expect, it } from 'vitest';
import type { OrderRecord, OrderStatus } from '../../journal/index.js';
import { OrderStore } from './order-store.js';
import { changed, newOrderRecord } from './records.js';

function order(clientOrderId: string, over: Partial<OrderRecord> = {}): OrderRecord {
  const strategyId = over.strategyId ?? clientOrderId.slice(0, clientOrderId.lastIndexOf('-'));
  const intent = {
    strategyId,
    symbol: 'BTC/USDT',
    side: 'BUY' as const,
    type: 'LIMIT' as const,
    quantity: '1',
    price: '100',
    timeInForce: 'GTC' as const,
    intendedAt: 0,
  };
  return { ...newOrderRecord(intent, clientOrderId, 0), ...over };
}

function step(record: OrderRecord, status: OrderStatus, executedQty: string): OrderRecord {
  return changed(record, record.updatedAt + 1, { status, executedQty });
}

describe('OrderStore', () => {
  it('adds only the executed delta of each update to the position', () => {
    const store = new OrderStore();
    const pending = order('mm-1');
    const partial = step(pending, 'PARTIALLY_FILLED', '0.3');
    store.put(pending);
    store.put(partial);
    store.put(partial);
    expect(store.position('mm', 'BTC/USDT')).toBeCloseTo(0.3);
    store.put(step(partial, 'FILLED', '1'));
    expect(store.position('mm', 'BTC/USDT')).toBeCloseTo(1);
  });

  it('subtracts sells and keeps positions per strategy and symbol', () => {
    const store = new OrderStore();
    store.put(order('mm-1', { status: 'FILLED', executedQty: '2' }));
    store.put(order('mm-2', { side: 'SELL', status: 'FILLED', executedQty: '0.5' }));
    store.put(order('mm-3', { symbol: 'ETH/USDT', status: 'FILLED', executedQty: '7' }));
    store.put(order('taker-1', { status: 'FILLED', executedQty: '4' }));
    expect(store.position('mm', 'BTC/USDT')).toBeCloseTo(1.5);
    expect(store.position('mm', 'ETH/USDT')).toBe(7);
    expect(store.position('taker', 'BTC/USDT')).toBe(4);
    expect(store.position('other', 'BTC/USDT')).toBe(0);
  });

  it('drops final orders from memory and keeps live ones', () => {
    const store = new OrderStore();
    const live = order('mm-1', { status: 'NEW' });
    store.put(live);
    store.put(order('mm-2'));
    expect(store.size).toBe(2);
    expect(store.get('mm-1')).toBe(live);
    store.put(step(live, 'CANCELED', '0'));
    store.put(order('mm-3', { status: 'REJECTED' }));
    expect(store.size).toBe(1);
    expect(store.get('mm-1')).toBeUndefined();
    expect(store.orders('mm').map((o) => o.clientOrderId)).toEqual(['mm-2']);
  });

  it('adopts journaled orders without counting their fills again', () => {
    const store = new OrderStore();
    store.restorePosition('mm', 'BTC/USDT', 0.4);
    const partial = order('mm-1', { status: 'PARTIALLY_FILLED', executedQty: '0.4' });
    store.adopt(partial);
    store.adopt(order('mm-2', { status: 'FILLED', executedQty: '1' }));
    expect(store.position('mm', 'BTC/USDT')).toBeCloseTo(0.4);
    expect(store.orders().map((o) => o.clientOrderId)).toEqual(['mm-1']);
    // A later fill adds only what is new since the adopted state.
    store.put(step(partial, 'FILLED', '1'));
    expect(store.position('mm', 'BTC/USDT')).toBeCloseTo(1);
  });

  it('counts open and in-flight orders per strategy', () => {
    const store = new OrderStore();
    store.put(order('mm-1', { status: 'NEW' }));
    store.put(order('mm-2', { status: 'PARTIALLY_FILLED' }));
    store.put(order('mm-3'));
    store.put(order('mm-4', { status: 'UNKNOWN' }));
    store.put(order('taker-1', { status: 'NEW' }));
    expect(store.openOrders('mm').map((o) => o.clientOrderId)).toEqual(['mm-1', 'mm-2']);
    expect(store.inFlight('mm')).toBe(2);
    expect(store.inFlight('taker')).toBe(0);
    expect(store.inFlight('nobody')).toBe(0);
    expect(store.orders('taker')).toHaveLength(1);
    expect(store.orders()).toHaveLength(5);
  });
});

describe('OrderStore versions', () => {
  it('refuses a version not newer than the one held, live or recently final', () => {
    const store = new OrderStore();
    const base = newOrderRecord(
      {
        strategyId: 'v1',
        symbol: 'BTC/USDT',
        side: 'BUY',
        type: 'LIMIT',
        quantity: '1',
        price: '10',
        timeInForce: 'GTC',
        intendedAt: 0,
      },
      'v1-1',
      0,
    );
    const open = changed(base, 1, { status: 'NEW' });
    const partly = changed(open, 2, { status: 'PARTIALLY_FILLED', executedQty: '0.5' });
    const canceled = changed(open, 2, { status: 'CANCELED', executedQty: '0.5' });
    expect(store.put(base)).toBe(true);
    expect(store.put(open)).toBe(true);
    expect(store.put(canceled)).toBe(true);
    // A racing writer's update of the same version must neither revive nor re-count.
    expect(store.put(partly)).toBe(false);
    expect(store.get('v1-1')).toBeUndefined();
    expect(store.latestVersion('v1-1')).toBe(canceled.version);
    expect(store.position('v1', 'BTC/USDT')).toBe(0.5);
  });
});

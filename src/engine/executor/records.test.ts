import { describe, expect, it } from 'vitest';
import type { VenueOrder } from '../connector/index.js';
import type { OrderIntent } from '../strategies/index.js';
import {
  changed,
  differsFromVenue,
  newOrderRecord,
  signedExecuted,
  withStatus,
  withVenueState,
} from './records.js';

const INTENT: OrderIntent = {
  strategyId: 'mm',
  symbol: 'BTC/USDT',
  side: 'BUY',
  type: 'LIMIT',
  quantity: '0.10',
  price: '64000.00',
  timeInForce: 'GTC',
  intendedAt: 900,
};

const VENUE: VenueOrder = {
  clientOrderId: 'mm-1',
  exchangeOrderId: '42',
  symbol: 'BTC/USDT',
  status: 'PARTIALLY_FILLED',
  executedQty: '0.04',
  cumulativeQuote: '2560',
  fees: { BNB: '0.001' },
};

describe('order records', () => {
  it('starts PENDING at version 1 with nothing executed', () => {
    const record = newOrderRecord(INTENT, 'mm-1', 1000);
    expect(record).toMatchObject({
      clientOrderId: 'mm-1',
      strategyId: 'mm',
      status: 'PENDING',
      exchangeOrderId: null,
      executedQty: '0',
      attempts: 0,
      createdAt: 1000,
      updatedAt: 1000,
      version: 1,
    });
  });

  it('raises the version by exactly one per change and stamps the time, leaving the input alone', () => {
    const first = newOrderRecord(INTENT, 'mm-1', 1000);
    const second = changed(first, 1010, { attempts: 1 });
    const third = withStatus(second, 'UNKNOWN', 'ambiguous:ETIMEDOUT', 1020);
    expect([first.version, second.version, third.version]).toEqual([1, 2, 3]);
    expect(third).toMatchObject({ attempts: 1, status: 'UNKNOWN', reason: 'ambiguous:ETIMEDOUT' });
    expect(third.updatedAt).toBe(1020);
    expect(first).toMatchObject({ attempts: 0, status: 'PENDING', updatedAt: 1000 });
  });

  it('takes status, ids and amounts from the venue and clears the reason', () => {
    const unknown = withStatus(newOrderRecord(INTENT, 'mm-1', 1000), 'UNKNOWN', 'x', 1010);
    const record = withVenueState(unknown, VENUE, 1020);
    expect(record).toMatchObject({
      status: 'PARTIALLY_FILLED',
      exchangeOrderId: '42',
      executedQty: '0.04',
      cumulativeQuote: '2560',
      reason: null,
      version: 3,
      updatedAt: 1020,
    });
  });

  it('compares amounts as numbers, so "0.10" equals "0.1"', () => {
    const record = withVenueState(newOrderRecord(INTENT, 'mm-1', 1000), VENUE, 1010);
    expect(differsFromVenue(record, VENUE)).toBe(false);
    expect(differsFromVenue({ ...record, executedQty: '0.0400' }, VENUE)).toBe(false);
    expect(differsFromVenue({ ...record, cumulativeQuote: '2560.000' }, VENUE)).toBe(false);
    expect(
      differsFromVenue({ ...record, executedQty: '0.10' }, { ...VENUE, executedQty: '0.1' }),
    ).toBe(false);
  });

  it('sees a difference in status, exchange id or either amount', () => {
    const record = withVenueState(newOrderRecord(INTENT, 'mm-1', 1000), VENUE, 1010);
    expect(differsFromVenue(record, { ...VENUE, status: 'FILLED' })).toBe(true);
    expect(differsFromVenue(record, { ...VENUE, exchangeOrderId: '43' })).toBe(true);
    expect(differsFromVenue(record, { ...VENUE, executedQty: '0.05' })).toBe(true);
    expect(differsFromVenue(record, { ...VENUE, cumulativeQuote: '2561' })).toBe(true);
  });

  it('signs executed quantity: positive for buys, negative for sells', () => {
    const buy = { ...newOrderRecord(INTENT, 'mm-1', 1000), executedQty: '0.25' };
    const sell = { ...buy, side: 'SELL' as const };
    expect(signedExecuted(buy)).toBe(0.25);
    expect(signedExecuted(sell)).toBe(-0.25);
    expect(signedExecuted(newOrderRecord(INTENT, 'mm-2', 1000))).toBe(0);
  });
});

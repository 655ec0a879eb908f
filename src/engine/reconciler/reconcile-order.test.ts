import { describe, expect, it } from 'vitest';
import type { OrderRecord } from '../../journal/index.js';
import { absenceConclusiveAt, type OrderCheckContext } from './reconcile-order.js';

function context(orderDeadlineMs: number, recvWindowMs: number, clockMarginMs: number) {
  return { orderDeadlineMs, clockMarginMs, venue: { recvWindowMs } } as OrderCheckContext;
}

describe('absenceConclusiveAt', () => {
  it('is the last possible send plus the recvWindow plus the clock margin', () => {
    const order = { createdAt: 1_700_000_000_000 } as OrderRecord;
    expect(absenceConclusiveAt(context(30_000, 5_000, 1_000), order)).toBe(1_700_000_036_000);
  });

  it('moves with each term on its own', () => {
    const order = { createdAt: 1000 } as OrderRecord;
    expect(absenceConclusiveAt(context(0, 0, 0), order)).toBe(1000);
    expect(absenceConclusiveAt(context(200, 0, 0), order)).toBe(1200);
    expect(absenceConclusiveAt(context(0, 30, 0), order)).toBe(1030);
    expect(absenceConclusiveAt(context(0, 0, 4), order)).toBe(1004);
  });

  it('ignores when the order was last sent or updated', () => {
    const order = { createdAt: 1000, lastSentAt: 9000, updatedAt: 9500 } as OrderRecord;
    expect(absenceConclusiveAt(context(100, 10, 1), order)).toBe(1111);
  });
});

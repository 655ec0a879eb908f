import { describe, expect, it } from 'vitest';
import type { LedgerEntry, OrderStatus as ExchangeStatus } from '../exchange/index.js';
import type { OrderRecord, OrderStatus } from '../journal/index.js';
import { checkInvariants } from './invariants.js';

const KEY = 'engine-key';
let seq = 0;

function base(clientOrderId: string, apiKey: string) {
  seq += 1;
  return { seq, time: 1000 + seq, apiKey, symbol: 'BTCUSDT', orderId: seq, clientOrderId };
}

function accepted(clientOrderId: string, apiKey = KEY): LedgerEntry {
  return {
    ...base(clientOrderId, apiKey),
    event: 'ORDER_ACCEPTED',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    price: '100.00000000',
    origQty: '1.00000000',
    origQuoteOrderQty: '0.00000000',
  };
}

function trade(clientOrderId: string, qty: string): LedgerEntry {
  return {
    ...base(clientOrderId, KEY),
    event: 'TRADE',
    tradeId: seq,
    price: '100.00000000',
    qty,
    quoteQty: '0',
    commission: '0',
    commissionAsset: 'BNB',
    isMaker: false,
  };
}

function status(clientOrderId: string, state: ExchangeStatus, executedQty: string): LedgerEntry {
  return {
    ...base(clientOrderId, KEY),
    event: 'ORDER_STATUS',
    status: state,
    executedQty,
    cummulativeQuoteQty: '0',
  };
}

/** A filled order on both sides, with amounts formatted differently. */
function filled(clientOrderId: string): LedgerEntry[] {
  return [
    accepted(clientOrderId),
    trade(clientOrderId, '1.00000000'),
    status(clientOrderId, 'FILLED', '1.00000000'),
  ];
}

function journaled(clientOrderId: string, state: OrderStatus, executedQty = '0'): OrderRecord {
  return {
    clientOrderId,
    strategyId: 'mm',
    symbol: 'BTC/USDT',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: '1',
    price: '100',
    status: state,
    exchangeOrderId: null,
    executedQty,
    cumulativeQuote: '0',
    attempts: 1,
    lastSentAt: 1000,
    createdAt: 1000,
    updatedAt: 1000,
    version: 3,
    reason: null,
  };
}

describe('checkInvariants', () => {
  it('passes a run where journal and exchange agree', () => {
    const ledger = [...filled('mm-1'), accepted('mm-2'), ...filled('mm-3')];
    const journal = [
      journaled('mm-1', 'FILLED', '1'),
      journaled('mm-2', 'NEW'),
      journaled('mm-3', 'FILLED', '1.0'),
      // Never placed and never accepted: nothing to check.
      journaled('mm-4', 'REJECTED'),
      journaled('mm-5', 'ABANDONED'),
    ];
    expect(checkInvariants(journal, ledger, KEY)).toEqual({
      lost: 0,
      duplicated: 0,
      unresolved: 0,
      mismatched: 0,
      exchangeOrders: 3,
      journalOrders: 5,
      ok: true,
      examples: [],
    });
  });

  it('counts an id accepted twice as duplicated', () => {
    const ledger = [...filled('mm-1'), accepted('mm-1')];
    const report = checkInvariants([journaled('mm-1', 'FILLED', '1')], ledger, KEY);
    expect(report).toMatchObject({ duplicated: 1, lost: 0, mismatched: 0, ok: false });
    expect(report.examples).toEqual([
      { kind: 'duplicated', clientOrderId: 'mm-1', detail: 'accepted 2 times' },
    ]);
  });

  it('counts accepted orders the journal lacks or calls REJECTED/ABANDONED as lost', () => {
    const ledger = [...filled('mm-1'), accepted('mm-2'), accepted('mm-3')];
    const journal = [journaled('mm-2', 'REJECTED'), journaled('mm-3', 'ABANDONED')];
    const report = checkInvariants(journal, ledger, KEY);
    expect(report).toMatchObject({ lost: 3, mismatched: 0, ok: false });
    expect(report.examples.map(({ kind, clientOrderId }) => [kind, clientOrderId])).toEqual([
      ['lost', 'mm-1'],
      ['lost', 'mm-2'],
      ['lost', 'mm-3'],
    ]);
    expect(report.examples[1]?.detail).toBe('journal says REJECTED, exchange says NEW');
  });

  it('counts PENDING and UNKNOWN orders as unresolved, accepted or not', () => {
    const journal = [journaled('mm-1', 'PENDING'), journaled('mm-2', 'UNKNOWN')];
    const report = checkInvariants(journal, [accepted('mm-2')], KEY);
    expect(report).toMatchObject({ unresolved: 2, lost: 0, mismatched: 0, ok: false });
    expect(report.examples.map((violation) => violation.detail)).toEqual(['PENDING', 'UNKNOWN']);
  });

  it('counts a differing status or executed quantity, or a final order never accepted, as mismatched', () => {
    const ledger = [
      ...filled('mm-1'),
      accepted('mm-2'),
      status('mm-2', 'PARTIALLY_FILLED', '0.40000000'),
    ];
    const journal = [
      journaled('mm-1', 'CANCELED', '1'),
      journaled('mm-2', 'PARTIALLY_FILLED', '0.3'),
      journaled('mm-3', 'FILLED', '1'),
    ];
    const report = checkInvariants(journal, ledger, KEY);
    expect(report).toMatchObject({ mismatched: 3, lost: 0, ok: false });
    expect(report.examples.map((violation) => violation.detail)).toEqual([
      'journal CANCELED 1, exchange FILLED 1.00000000',
      'journal PARTIALLY_FILLED 0.3, exchange PARTIALLY_FILLED 0.40000000',
      'journal says FILLED, the exchange never accepted it',
    ]);
  });

  it("ignores other API keys' orders", () => {
    // Same id under another key: neither a duplicate of ours nor lost from our journal.
    const ledger = [
      ...filled('mm-1'),
      accepted('mm-1', 'other-key'),
      accepted('mm-2', 'other-key'),
    ];
    const report = checkInvariants([journaled('mm-1', 'FILLED', '1')], ledger, KEY);
    expect(report).toMatchObject({ exchangeOrders: 1, duplicated: 0, lost: 0, ok: true });
  });

  it('keeps at most five examples per kind but counts them all', () => {
    const unknown = Array.from({ length: 7 }, (_, i) => `mm-${i + 1}`);
    const missing = Array.from({ length: 6 }, (_, i) => `taker-${i + 1}`);
    const report = checkInvariants(
      unknown.map((id) => journaled(id, 'UNKNOWN')),
      [...unknown, ...missing].map((id) => accepted(id)),
      KEY,
    );
    expect(report).toMatchObject({ unresolved: 7, lost: 6, exchangeOrders: 13 });
    expect(report.examples.map((violation) => violation.clientOrderId)).toEqual([
      ...missing.slice(0, 5),
      ...unknown.slice(0, 5),
    ]);
  });
});

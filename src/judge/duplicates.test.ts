import { describe, expect, it } from 'vitest';
import type { VenueOrder, VenueRequest, WireEnd, WireRequest } from '../evidence/model.js';
import { findDuplicateOrders, type DuplicateOptions } from './duplicates.js';

const KEY = 'bot-key';
let orderIds = 0;

/** An order placement the venue accepted (unless orderId is null), arriving at `at`. */
function placed(
  at: number,
  requestId: string | null,
  order: Partial<VenueOrder> = {},
  apiKey = KEY,
): VenueRequest {
  orderIds += 1;
  return {
    at,
    requestId,
    apiKey,
    method: 'POST',
    path: '/api/v3/order',
    status: order.orderId === null ? 400 : 200,
    code: order.orderId === null ? -2010 : null,
    retryAfterS: null,
    signed: true,
    symbol: order.symbol ?? 'BTCUSDT',
    order: {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.001',
      price: '65000',
      clientOrderId: `c-${orderIds}`,
      orderId: orderIds,
      ...order,
    },
  };
}

/** An order query the venue answered. */
function query(
  at: number,
  requestId: string | null,
  fields: Partial<VenueRequest> = {},
): VenueRequest {
  return {
    at,
    requestId,
    apiKey: KEY,
    method: 'GET',
    path: '/api/v3/openOrders',
    status: 200,
    code: null,
    retryAfterS: null,
    signed: true,
    symbol: 'BTCUSDT',
    order: null,
    ...fields,
  };
}

/** How the proxy ended a forwarded request. */
function wire(
  requestId: string,
  end: WireEnd,
  status: number | null,
  fields: Partial<WireRequest> = {},
): WireRequest {
  return {
    requestId,
    proxy: 'exchange',
    at: 0,
    endedAt: 0,
    method: 'POST',
    path: '/api/v3/order',
    end,
    forwarded: true,
    status,
    retryAfterS: null,
    ...fields,
  };
}

function judge(
  venue: VenueRequest[],
  wires: WireRequest[],
  options: Partial<DuplicateOptions> = {},
) {
  return findDuplicateOrders(
    () => venue,
    () => wires,
    { apiKey: KEY, ...options },
  );
}

describe('findDuplicateOrders: blind resends', () => {
  it('finds a resend after an answer lost to a reset, with both orders and the loss', async () => {
    const a = placed(1_000, 'exchange-1');
    const b = placed(2_000, 'exchange-2');
    const lost = wire('exchange-1', 'reset', null, { at: 999, endedAt: 1_500 });
    const result = await judge([a, b], [wire('exchange-2', 'answered', 200), lost]);
    expect(result).toEqual({
      ordersAccepted: 2,
      lostAnswers: 1,
      duplicatesTotal: 1,
      duplicates: [
        {
          kind: 'blind_resend',
          apiKey: KEY,
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'LIMIT',
          quantity: '0.001',
          price: '65000',
          original: {
            orderId: a.order!.orderId,
            clientOrderId: a.order!.clientOrderId,
            at: 1_000,
            requestId: 'exchange-1',
          },
          lostAnswer: { end: 'reset', status: null, at: 999, endedAt: 1_500 },
          duplicate: {
            orderId: b.order!.orderId,
            clientOrderId: b.order!.clientOrderId,
            at: 2_000,
            requestId: 'exchange-2',
          },
        },
      ],
    });
  });

  it.each([
    ['a timeout', wire('exchange-1', 'timedOut', null)],
    ['a dropped answer (answered, another status)', wire('exchange-1', 'answered', 502)],
    ['a status injected after forwarding', wire('exchange-1', 'injectedStatus', 503)],
    ['an upstream error', wire('exchange-1', 'upstreamError', 502)],
  ])('counts an answer lost to %s', async (_name, lost) => {
    const result = await judge([placed(1_000, 'exchange-1'), placed(2_000, 'exchange-2')], [lost]);
    expect(result.lostAnswers).toBe(1);
    expect(result.duplicates.map((finding) => finding.kind)).toEqual(['blind_resend']);
  });

  it('sees no loss without a request id, without a wire record, or with the answer delivered', async () => {
    const venue = [
      placed(1, null),
      placed(2, 'exchange-2'),
      placed(3, 'exchange-3'),
      placed(4, 'exchange-4'),
    ];
    const result = await judge(venue, [wire('exchange-3', 'answered', 200)]);
    expect(result).toMatchObject({ ordersAccepted: 4, lostAnswers: 0, duplicatesTotal: 0 });
  });

  it('ignores a wire record the proxy never forwarded', async () => {
    const refused = wire('exchange-1', 'refused', 503, { forwarded: false });
    const result = await judge([placed(1, 'exchange-1'), placed(2, 'exchange-2')], [refused]);
    expect(result).toMatchObject({ lostAnswers: 0, duplicatesTotal: 0 });
  });

  it('accepts a resend after a query of the symbol whose answer arrived', async () => {
    const venue = [placed(1, 'exchange-1'), query(2, 'exchange-2'), placed(3, 'exchange-3')];
    const wires = [
      wire('exchange-1', 'reset', null),
      wire('exchange-2', 'answered', 200, { method: 'GET' }),
    ];
    expect((await judge(venue, wires)).duplicatesTotal).toBe(0);
    // A query straight to the venue, past the proxy, was answered too.
    expect(
      (await judge([placed(1, 'exchange-1'), query(2, null), placed(3, null)], wires))
        .duplicatesTotal,
    ).toBe(0);
  });

  it('accepts a resend after openOrders without a symbol, which answers for every symbol', async () => {
    const venue = [placed(1, 'exchange-1'), query(2, null, { symbol: null }), placed(3, null)];
    expect((await judge(venue, [wire('exchange-1', 'reset', null)])).duplicatesTotal).toBe(0);
  });

  it('does not count a query whose own answer was lost', async () => {
    const venue = [
      placed(1, 'exchange-1'),
      query(2, 'exchange-2', { path: '/api/v3/order' }),
      placed(3, null),
    ];
    const lostQuery = wire('exchange-2', 'timedOut', null, {
      method: 'GET',
      path: '/api/v3/order',
    });
    const result = await judge(venue, [wire('exchange-1', 'reset', null), lostQuery]);
    expect(result.duplicatesTotal).toBe(1);
  });

  it('does not count a query the venue refused, of another symbol, by another key, or before the order', async () => {
    const cases: VenueRequest[][] = [
      [placed(1, 'exchange-1'), query(2, null, { status: 429, code: -1003 }), placed(3, null)],
      [placed(1, 'exchange-1'), query(2, null, { symbol: 'ETHUSDT' }), placed(3, null)],
      [placed(1, 'exchange-1'), query(2, null, { apiKey: 'other' }), placed(3, null)],
      [query(0, null), placed(1, 'exchange-1'), placed(3, null)],
    ];
    for (const venue of cases) {
      const result = await judge(venue, [wire('exchange-1', 'reset', null)], { apiKey: null });
      expect(result.duplicatesTotal).toBe(1);
    }
  });

  it('compares symbol, side, type, quantity and price; amounts by value', async () => {
    const lost = [wire('exchange-1', 'reset', null)];
    const differing: Partial<VenueOrder>[] = [
      { quantity: '0.002' },
      { price: '65001' },
      { side: 'SELL' },
      { type: 'MARKET', price: null },
      { symbol: 'ETHUSDT' },
    ];
    for (const change of differing) {
      const result = await judge([placed(1, 'exchange-1'), placed(2, null, change)], lost);
      expect(result.duplicatesTotal).toBe(0);
    }
    const reformatted = { quantity: '0.00100000', price: '65000.00' };
    expect(
      (await judge([placed(1, 'exchange-1'), placed(2, null, reformatted)], lost)).duplicatesTotal,
    ).toBe(1);
  });

  it('counts one resend per lost answer: later orders of the same terms are new ones', async () => {
    const a = placed(1, 'exchange-1');
    const venue = [a, placed(2, 'exchange-2'), placed(3, 'exchange-3'), placed(4, 'exchange-4')];
    const result = await judge(venue, [wire('exchange-1', 'reset', null)]);
    expect(result.lostAnswers).toBe(1);
    expect(result.duplicates.map((finding) => finding.original.orderId)).toEqual([
      a.order!.orderId,
    ]);
  });

  it('a resend whose own answer was lost is an original in turn', async () => {
    const a = placed(1, 'exchange-1');
    const b = placed(2, 'exchange-2');
    const venue = [a, b, placed(3, 'exchange-3')];
    const wires = [wire('exchange-1', 'reset', null), wire('exchange-2', 'reset', null)];
    const result = await judge(venue, wires);
    expect(result.lostAnswers).toBe(2);
    expect(result.duplicates.map((finding) => finding.original.orderId)).toEqual([
      a.order!.orderId,
      b.order!.orderId,
    ]);
  });

  it('ignores refused orders and other keys, and judges every key apart when apiKey is null', async () => {
    const venue = [
      placed(1, 'exchange-1'),
      placed(2, null, { orderId: null }),
      placed(3, null, {}, 'other'),
      placed(4, null),
    ];
    const lost = [wire('exchange-1', 'reset', null)];
    expect(await judge(venue, lost)).toMatchObject({ ordersAccepted: 2, duplicatesTotal: 1 });
    expect(await judge(venue, lost, { apiKey: 'other' })).toMatchObject({
      ordersAccepted: 1,
      duplicatesTotal: 0,
    });
    expect(await judge(venue, lost, { apiKey: null })).toMatchObject({
      ordersAccepted: 3,
      duplicatesTotal: 1,
    });
  });
});

describe('findDuplicateOrders: client order ids', () => {
  it('finds a client order id accepted twice, whatever the wire did', async () => {
    const a = placed(1, 'exchange-1', { clientOrderId: 'same' });
    const b = placed(5, 'exchange-2', { clientOrderId: 'same', quantity: '0.5' });
    const result = await judge([a, query(2, null), b], []);
    expect(result.duplicates).toEqual([
      {
        kind: 'client_order_id_reused',
        apiKey: KEY,
        clientOrderId: 'same',
        symbol: 'BTCUSDT',
        original: {
          orderId: a.order!.orderId,
          clientOrderId: 'same',
          at: 1,
          requestId: 'exchange-1',
        },
        duplicate: {
          orderId: b.order!.orderId,
          clientOrderId: 'same',
          at: 5,
          requestId: 'exchange-2',
        },
      },
    ]);
  });

  it('lists an order that is both a reuse and a resend once, as the reuse', async () => {
    const venue = [
      placed(1, 'exchange-1', { clientOrderId: 'same' }),
      placed(2, null, { clientOrderId: 'same' }),
    ];
    const result = await judge(venue, [wire('exchange-1', 'reset', null)]);
    expect(result.duplicates.map((finding) => finding.kind)).toEqual(['client_order_id_reused']);
  });

  it('does not mix up two keys using the same client order id', async () => {
    const venue = [
      placed(1, null, { clientOrderId: 'x' }),
      placed(2, null, { clientOrderId: 'x' }, 'other'),
    ];
    expect((await judge(venue, [], { apiKey: null })).duplicatesTotal).toBe(0);
  });
});

describe('findDuplicateOrders: what a resend must follow', () => {
  it('a query already under way when the loss was seen does not count as asking about it', async () => {
    const venue = [placed(1, 'exchange-1'), query(3, 'exchange-2'), placed(6, null)];
    const wires = [
      wire('exchange-1', 'timedOut', null, { at: 1, endedAt: 5 }),
      wire('exchange-2', 'answered', 200, {
        method: 'GET',
        path: '/api/v3/openOrders',
        endedAt: 4,
      }),
    ];
    const result = await judge(venue, wires);
    expect(result.duplicates.map((finding) => finding.duplicate.at)).toEqual([6]);
  });

  it('an order sent while the first still waited for its answer is no resend of it', async () => {
    const venue = [placed(1, 'exchange-1'), placed(2, null), placed(6, null)];
    const lost = wire('exchange-1', 'timedOut', null, { at: 1, endedAt: 5 });
    const result = await judge(venue, [lost]);
    // The bot learnt of the failure at 5: the order at 2 was its own, the one at 6 a resend.
    expect(result.duplicates.map((finding) => finding.duplicate.at)).toEqual([6]);
  });

  it('without blind-resend detection only a reused client order id is a duplicate', async () => {
    const venue = [
      placed(1, 'exchange-1', { clientOrderId: 'a' }),
      placed(2, null, { clientOrderId: 'b' }),
      placed(3, null, { clientOrderId: 'a' }),
    ];
    const lost = wire('exchange-1', 'reset', null, { endedAt: 1 });
    const result = await judge(venue, [lost], { blindResends: false });
    expect(result.duplicates.map((finding) => finding.kind)).toEqual(['client_order_id_reused']);
    expect(result.lostAnswers).toBe(1);
  });
});

describe('findDuplicateOrders: streams', () => {
  it('reads the wire in any order, and async sources', async () => {
    const venue = [
      placed(1, 'exchange-1'),
      query(2, 'exchange-2'),
      placed(3, 'exchange-3'),
      placed(4, null),
    ];
    const wires = [
      wire('exchange-3', 'timedOut', null, { endedAt: 4 }),
      wire('exchange-2', 'answered', 200, {
        method: 'GET',
        path: '/api/v3/openOrders',
        endedAt: 3,
      }),
      wire('exchange-1', 'reset', null, { endedAt: 9 }),
    ];
    const forward = await judge(venue, wires);
    const backward = await findDuplicateOrders(
      async function* () {
        yield* venue;
      },
      () => [...wires].reverse(),
      { apiKey: KEY },
    );
    expect(forward.duplicates.map((finding) => finding.original.requestId)).toEqual(['exchange-3']);
    expect(backward).toEqual(forward);
  });

  it('lists the first findings and counts them all', async () => {
    // A chain: each of five lost orders is resent by the next, whose answer is lost in turn.
    const venue = [
      ...Array.from({ length: 5 }, (_, i) => placed(1 + i, `exchange-${1 + i}`)),
      ...Array.from({ length: 5 }, (_, i) => placed(6 + i, null)),
    ];
    const lost = Array.from({ length: 5 }, (_, i) => wire(`exchange-${1 + i}`, 'reset', null));
    const result = await judge(venue, lost, { maxListed: 2 });
    expect(result.duplicatesTotal).toBe(5);
    expect(result.duplicates.map((finding) => finding.duplicate.at)).toEqual([2, 3]);
  });

  it('stops when aborted', async () => {
    const signal = AbortSignal.abort(new Error('stopped'));
    await expect(judge([placed(1, null)], [], { signal })).rejects.toThrow('stopped');
  });
});

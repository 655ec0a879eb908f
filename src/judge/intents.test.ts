import { describe, expect, it } from 'vitest';
import type { VenueOrder, VenueRequest } from '../evidence/model.js';
import { judgeIntents, type IntentOptions } from './intents.js';

const KEY = 'bot-key';
let orderIds = 0;

function placed(
  clientOrderId: string | null,
  fields: Partial<VenueOrder> = {},
  apiKey = KEY,
): VenueRequest {
  orderIds += 1;
  return {
    at: orderIds,
    requestId: `exchange-${orderIds}`,
    apiKey,
    method: 'POST',
    path: '/api/v3/order',
    status: fields.orderId === null ? 400 : 200,
    code: fields.orderId === null ? -2010 : null,
    retryAfterS: null,
    signed: true,
    symbol: 'BTCUSDT',
    order: {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.001',
      price: '65000',
      clientOrderId,
      orderId: orderIds,
      ...fields,
    },
  };
}

function intent(clientOrderId: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    client_order_id: clientOrderId,
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    quantity: '0.001',
    price: 65000,
    ...fields,
  });
}

function judge(lines: string[], venue: VenueRequest[], options: Partial<IntentOptions> = {}) {
  return judgeIntents(
    () => lines,
    () => venue,
    { apiKey: KEY, ...options },
  );
}

describe('judgeIntents', () => {
  it('passes a bot whose every accepted order was announced once', async () => {
    const venue = [placed('a'), placed('b'), placed('x', { orderId: null })];
    const result = await judge([intent('a'), '', intent('b'), intent('x')], venue);
    expect(result).toMatchObject({ ok: true, intents: 3, ordersAccepted: 2, unplacedTotal: 1 });
    expect(result.unplaced).toEqual([
      {
        clientOrderId: 'x',
        line: 4,
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.001',
        price: 65000,
      },
    ]);
  });

  it('fails an accepted order nobody announced, or without a client order id', async () => {
    const stray = placed('ghost', { side: 'SELL' });
    const result = await judge([intent('a')], [placed('a'), stray, placed(null)]);
    expect(result).toMatchObject({ ok: false, unknownOrdersTotal: 2 });
    expect(result.unknownOrders[0]).toEqual({
      orderId: stray.order!.orderId,
      clientOrderId: 'ghost',
      at: stray.at,
      requestId: stray.requestId,
      apiKey: KEY,
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      quantity: '0.001',
      price: '65000',
    });
  });

  it('fails an intent the venue accepted twice, once per extra order', async () => {
    const [first, again, third] = [placed('a'), placed('a'), placed('a')];
    const result = await judge(['', intent('a')], [first!, again!, third!]);
    expect(result).toMatchObject({ ok: false, placedTwiceTotal: 2, unplacedTotal: 0 });
    expect(result.placedTwice[0]).toEqual({
      clientOrderId: 'a',
      line: 2,
      first: {
        orderId: first!.order!.orderId,
        clientOrderId: 'a',
        at: first!.at,
        requestId: first!.requestId,
      },
      again: {
        orderId: again!.order!.orderId,
        clientOrderId: 'a',
        at: again!.at,
        requestId: again!.requestId,
      },
    });
  });

  it("fails an order placed under an intent's id with other terms, naming each difference", async () => {
    const venue = [
      placed('a', { side: 'SELL', quantity: '0.002' }),
      placed('b', { quantity: '0.00100000', price: '65000.00' }),
    ];
    const result = await judge(
      [intent('a'), intent('b', { symbol: 'BTC/USDT', side: 'buy' })],
      venue,
    );
    expect(result.ok).toBe(false);
    expect(result.mismatchedTotal).toBe(1);
    expect(result.mismatched[0]).toMatchObject({
      clientOrderId: 'a',
      line: 1,
      differences: ['side: BUY → SELL', 'quantity: 0.001 → 0.002'],
    });
  });

  it("does not compare what either side leaves out: a market intent's price", async () => {
    const venue = [placed('m', { type: 'MARKET', price: '65000' })];
    const result = await judge([intent('m', { type: 'MARKET', price: null })], venue);
    expect(result).toMatchObject({ ok: true, mismatchedTotal: 0 });
  });

  it('takes an intent announced again (a retry under its id) as one, known by its first line', async () => {
    const result = await judge([intent('a'), intent('a', { quantity: 1 })], []);
    expect(result).toMatchObject({ ok: true, intents: 1 });
    expect(result.unplaced).toMatchObject([{ line: 1, quantity: '0.001' }]);
  });

  it('lists malformed lines with their number and the problem, and fails them', async () => {
    const lines = [
      '{"client_order_id": "a"',
      '[1, 2]',
      intent('', {}),
      JSON.stringify({ client_order_id: 'b', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT' }),
      intent('c', { side: 5, price: true }),
      '   ',
      intent('d', { quantity: null, price: undefined }),
    ];
    const result = await judge(lines, [placed('d')]);
    expect(result).toMatchObject({
      ok: false,
      intents: 1,
      malformedLinesTotal: 5,
      unknownOrdersTotal: 0,
    });
    expect(result.malformedLines.map(({ line }) => line)).toEqual([1, 2, 3, 4, 5]);
    const [notJson, array, empty, missing, wrong] = result.malformedLines.map(
      ({ problem }) => problem,
    );
    expect(notJson).toMatch(/^not JSON: /);
    expect(array).toBe('expected a JSON object, got an array');
    expect(empty).toBe('client_order_id: expected a non-empty string, got ""');
    expect(missing).toBe('quantity: required');
    expect(wrong).toBe(
      'side: expected a string, got 5; price: expected a decimal string, a number or null, got true',
    );
  });

  it('shows a long bad value cut short', async () => {
    const result = await judge([intent('a', { side: ['x'.repeat(1_000)] })], []);
    expect(result.malformedLines[0]!.problem.length).toBeLessThan(80);
  });

  it('judges one API key, or every accepted order with apiKey null', async () => {
    const venue = [placed('a'), placed('other-1', {}, 'other')];
    expect(await judge([intent('a')], venue)).toMatchObject({ ok: true, ordersAccepted: 1 });
    expect(await judge([intent('a')], venue, { apiKey: null })).toMatchObject({
      ok: false,
      ordersAccepted: 2,
      unknownOrdersTotal: 1,
    });
  });

  it('lists the first findings of each kind and counts them all', async () => {
    const lines = [
      ...Array.from({ length: 5 }, (_, i) => intent(`never-${i}`)),
      'nope',
      'nope',
      'nope',
    ];
    const venue = Array.from({ length: 4 }, (_, i) => placed(`stray-${i}`));
    const result = await judge(lines, venue, { maxListed: 2 });
    expect(result).toMatchObject({
      unplacedTotal: 5,
      unknownOrdersTotal: 4,
      malformedLinesTotal: 3,
    });
    expect(result.unplaced.map(({ clientOrderId }) => clientOrderId)).toEqual([
      'never-0',
      'never-1',
    ]);
    expect(result.unknownOrders).toHaveLength(2);
    expect(result.malformedLines.map(({ line }) => line)).toEqual([6, 7]);
  });

  it('reads async sources and stops when aborted', async () => {
    const result = await judgeIntents(
      async function* () {
        yield intent('a');
      },
      async function* () {
        yield placed('a');
      },
      { apiKey: KEY },
    );
    expect(result.ok).toBe(true);
    const signal = AbortSignal.abort(new Error('stopped'));
    await expect(judge([intent('a')], [], { signal })).rejects.toThrow('stopped');
  });
});

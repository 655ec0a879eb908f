import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExchange, DEFAULT_ACCOUNT, type Exchange } from '../../src/exchange/index.js';
import {
  CcxtVenueClient,
  createCcxtExchange,
  VenueError,
  type VenueFailure,
  type VenueRequestEvent,
} from '../../src/engine/connector/index.js';

/** Every network test gives up after this long rather than hanging the run. */
const HANG_GUARD_MS = 20_000;

let exchange: Exchange;
let client: CcxtVenueClient;
const events: VenueRequestEvent[] = [];

async function failureOf(promise: Promise<unknown>): Promise<VenueFailure> {
  const error = await promise.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VenueError);
  return (error as VenueError).failure;
}

/** A limit price far below the book, so the order rests. */
async function restingBuyPrice(symbol: string): Promise<string> {
  const top = (await client.bookTops([symbol])).get(symbol)!;
  return (Math.floor(top.bid * 0.8 * 100) / 100).toFixed(2);
}

beforeAll(async () => {
  exchange = await createExchange({ seed: 11 });
  client = new CcxtVenueClient({
    baseUrl: exchange.url,
    apiKey: DEFAULT_ACCOUNT.apiKey,
    secret: DEFAULT_ACCOUNT.apiSecret,
    timeoutMs: 5000,
  });
  client.on('request', (event) => events.push(event));
});
afterAll(async () => {
  await client.close();
  await exchange.close();
});

describe('CcxtVenueClient against the simulator', () => {
  it(
    'reads market rules as decimal strings',
    async () => {
      const markets = await client.markets();
      expect(markets.get('BTC/USDT')).toEqual({
        symbol: 'BTC/USDT',
        base: 'BTC',
        quote: 'USDT',
        stepSize: '0.00001',
        tickSize: '0.01',
        minQty: '0.00001',
        minNotional: '5',
      });
      expect(markets.has('ETH/USDT')).toBe(true);
    },
    HANG_GUARD_MS,
  );

  it(
    'places, queries, lists and cancels a resting limit order by client order id',
    async () => {
      const price = await restingBuyPrice('BTC/USDT');
      const request = {
        symbol: 'BTC/USDT',
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.01',
        price,
        timeInForce: 'GTC',
        clientOrderId: 'venue-limit-1',
      } as const;
      const placed = await client.placeOrder(request);
      expect(placed).toMatchObject({
        clientOrderId: 'venue-limit-1',
        symbol: 'BTC/USDT',
        status: 'NEW',
        executedQty: '0',
        cumulativeQuote: '0',
        fees: {},
      });
      const queried = await client.queryOrder('BTC/USDT', 'venue-limit-1');
      expect(queried).toEqual(placed);
      const open = await client.openOrders('BTC/USDT');
      expect(open.map((o) => o.clientOrderId)).toContain('venue-limit-1');
      const locked = (await client.balances()).get('USDT')!.locked;
      expect(Number(locked)).toBeCloseTo(0.01 * Number(price), 6);
      const canceled = await client.cancelOrder('BTC/USDT', 'venue-limit-1');
      expect(canceled).toMatchObject({
        clientOrderId: 'venue-limit-1',
        exchangeOrderId: placed.exchangeOrderId,
        status: 'CANCELED',
      });
      expect((await client.balances()).get('USDT')).toEqual({ free: '1000000', locked: '0' });
    },
    HANG_GUARD_MS,
  );

  it(
    'fills a market order and sums its fees per asset from the fills',
    async () => {
      const filled = await client.placeOrder({
        symbol: 'ETH/USDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: '2',
        price: null,
        timeInForce: null,
        clientOrderId: 'venue-mkt-1',
      });
      expect(filled).toMatchObject({ status: 'FILLED', executedQty: '2' });
      // 10 bps taker commission, in the asset received.
      expect(filled.fees).toEqual({ ETH: '0.002' });
      expect(Number(filled.cumulativeQuote)).toBeGreaterThan(0);
      const ledger = exchange.venue.ledger.read();
      expect(ledger.some((entry) => JSON.stringify(entry).includes('venue-mkt-1'))).toBe(true);
    },
    HANG_GUARD_MS,
  );

  it(
    'places a LIMIT_MAKER order and reads book tops',
    async () => {
      const tops = await client.bookTops(['BTC/USDT', 'ETH/USDT']);
      expect([...tops.keys()].sort()).toEqual(['BTC/USDT', 'ETH/USDT']);
      for (const top of tops.values()) expect(top.bid).toBeLessThan(top.ask);
      const maker = await client.placeOrder({
        symbol: 'BTC/USDT',
        side: 'BUY',
        type: 'LIMIT_MAKER',
        quantity: '0.001',
        price: await restingBuyPrice('BTC/USDT'),
        timeInForce: null,
        clientOrderId: 'venue-maker-1',
      });
      expect(maker.status).toBe('NEW');
      expect((await client.cancelOrder('BTC/USDT', 'venue-maker-1')).status).toBe('CANCELED');
      await client.ping();
    },
    HANG_GUARD_MS,
  );

  it(
    'classifies venue refusals by code and class',
    async () => {
      const base = {
        symbol: 'BTC/USDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
      } as const;
      const price = await restingBuyPrice('BTC/USDT');
      const funds = await failureOf(
        client.placeOrder({
          ...base,
          side: 'SELL',
          quantity: '50',
          price: '70000',
          clientOrderId: 'c-funds',
        }),
      );
      expect(funds).toMatchObject({
        kind: 'rejected',
        httpStatus: 400,
        venueCode: -2010,
        errorClass: 'InsufficientFunds',
      });
      const filter = await failureOf(
        client.placeOrder({
          ...base,
          quantity: '0.00001',
          price: '100',
          clientOrderId: 'c-filter',
        }),
      );
      expect(filter).toMatchObject({ kind: 'rejected', httpStatus: 400, venueCode: -1013 });

      await client.placeOrder({ ...base, quantity: '0.001', price, clientOrderId: 'c-dup' });
      const duplicate = await failureOf(
        client.placeOrder({ ...base, quantity: '0.001', price, clientOrderId: 'c-dup' }),
      );
      expect(duplicate).toMatchObject({
        kind: 'duplicate',
        httpStatus: 400,
        venueCode: -2010,
        errorClass: 'InvalidOrder',
      });
      await client.cancelOrder('BTC/USDT', 'c-dup');
      const ask = (await client.bookTops(['BTC/USDT'])).get('BTC/USDT')!.ask;
      const wouldTake = await failureOf(
        client.placeOrder({
          ...base,
          type: 'LIMIT_MAKER',
          timeInForce: null,
          quantity: '0.001',
          price: (ask * 1.05).toFixed(2),
          clientOrderId: 'c-take',
        }),
      );
      expect(wouldTake).toMatchObject({
        kind: 'rejected',
        venueCode: -2010,
        errorClass: 'OrderImmediatelyFillable',
      });

      expect(await failureOf(client.queryOrder('BTC/USDT', 'c-missing'))).toMatchObject({
        kind: 'not_found',
        venueCode: -2013,
      });
      expect(await failureOf(client.cancelOrder('BTC/USDT', 'c-missing'))).toMatchObject({
        kind: 'not_found',
        venueCode: -2011,
      });
    },
    HANG_GUARD_MS,
  );

  it(
    'tells a -2010 that is not a duplicate (MAX_NUM_ORDERS) from one by asking the venue for the id',
    async () => {
      const full = await createExchange({ seed: 12, rateLimits: { ordersPer10s: 1000 } });
      const fullClient = new CcxtVenueClient({
        baseUrl: full.url,
        apiKey: DEFAULT_ACCOUNT.apiKey,
        secret: DEFAULT_ACCOUNT.apiSecret,
      });
      try {
        const order = (clientOrderId: string) =>
          fullClient.placeOrder({
            symbol: 'ETH/USDT',
            side: 'BUY',
            type: 'LIMIT',
            quantity: '0.01',
            price: '1000',
            timeInForce: 'GTC',
            clientOrderId,
          });
        // The simulator's MAX_NUM_ORDERS: 200 resting orders per symbol.
        for (let batch = 0; batch < 20; batch += 1) {
          await Promise.all(Array.from({ length: 10 }, (_, i) => order(`max-${batch * 10 + i}`)));
        }
        const events: VenueRequestEvent[] = [];
        fullClient.on('request', (event) => events.push(event));
        expect(await failureOf(order('max-200'))).toMatchObject({
          kind: 'rejected',
          venueCode: -2010,
          errorClass: 'InvalidOrder',
        });
        // The check that decided it: the venue has no order with that id.
        expect(events.map((e) => [e.operation, e.failure?.kind])).toEqual([
          ['placeOrder', 'duplicate'],
          ['queryOrder', 'not_found'],
        ]);
        // Same code and class, but the venue has an order with that id: a duplicate.
        expect(await failureOf(order('max-7'))).toMatchObject({
          kind: 'duplicate',
          venueCode: -2010,
        });
      } finally {
        await fullClient.close();
        await full.close();
      }
    },
    HANG_GUARD_MS,
  );

  it(
    'classifies bad keys as rejected (authentication)',
    async () => {
      const clients = [
        new CcxtVenueClient({ baseUrl: exchange.url, apiKey: 'no-such-key', secret: 'x' }),
        new CcxtVenueClient({
          baseUrl: exchange.url,
          apiKey: DEFAULT_ACCOUNT.apiKey,
          secret: 'wrong',
        }),
      ];
      try {
        const [unknownKey, wrongSecret] = await Promise.all(
          clients.map((c) => failureOf(c.balances())),
        );
        expect(unknownKey).toMatchObject({
          kind: 'rejected',
          httpStatus: 401,
          venueCode: -2015,
          errorClass: 'AuthenticationError',
        });
        expect(wrongSecret).toMatchObject({
          kind: 'rejected',
          venueCode: -1022,
          errorClass: 'AuthenticationError',
        });
      } finally {
        await Promise.all(clients.map((c) => c.close()));
      }
    },
    HANG_GUARD_MS,
  );

  it(
    'sends recvWindowMs with signed requests (the venue refuses one over 60 000)',
    async () => {
      expect(client.recvWindowMs).toBe(5000);
      const tooWide = new CcxtVenueClient({
        exchange: createCcxtExchange({
          baseUrl: exchange.url,
          apiKey: DEFAULT_ACCOUNT.apiKey,
          secret: DEFAULT_ACCOUNT.apiSecret,
          recvWindowMs: 70_000,
        }),
      });
      expect(tooWide.recvWindowMs).toBe(70_000);
      expect(await failureOf(tooWide.balances())).toMatchObject({
        kind: 'rejected',
        venueCode: -1131,
      });
      await tooWide.close();
    },
    HANG_GUARD_MS,
  );

  it(
    'reports every request as an event, and an aborted request as not sent',
    async () => {
      events.length = 0;
      await client.ping();
      await failureOf(client.queryOrder('BTC/USDT', 'c-missing'));
      expect(events).toHaveLength(2);
      expect(events[0]).toMatchObject({ operation: 'ping', ok: true, failure: undefined });
      expect(events[0]!.latencyMs).toBeGreaterThanOrEqual(0);
      expect(events[1]).toMatchObject({
        operation: 'queryOrder',
        ok: false,
        failure: { kind: 'not_found' },
      });
      expect(await failureOf(client.ping(AbortSignal.abort()))).toMatchObject({ kind: 'not_sent' });
    },
    HANG_GUARD_MS,
  );

  it('refuses an unknown exchange id and a base URL for another venue', () => {
    expect(() =>
      createCcxtExchange({ exchangeId: 'no-such-venue', apiKey: 'k', secret: 's' }),
    ).toThrow(/unknown ccxt exchange id "no-such-venue"/);
    expect(() =>
      createCcxtExchange({ exchangeId: 'kraken', baseUrl: exchange.url, apiKey: 'k', secret: 's' }),
    ).toThrow(/binance exchange only/);
    const kraken = createCcxtExchange({ exchangeId: 'kraken', apiKey: 'k', secret: 's' });
    expect(kraken.id).toBe('kraken');
  });
});

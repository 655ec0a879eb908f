import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createExchange,
  DEFAULT_ACCOUNT,
  type Exchange,
  type LedgerEntry,
} from '../../src/exchange/index.js';
import { BinanceTestClient } from '../support/binance-client.js';

let exchange: Exchange;
let client: BinanceTestClient;

beforeAll(async () => {
  exchange = await createExchange({ seed: 11 });
  client = new BinanceTestClient(exchange.url, DEFAULT_ACCOUNT.apiKey, DEFAULT_ACCOUNT.apiSecret);
});
afterAll(() => exchange.close());

describe('exchange REST API over a real socket', () => {
  it('serves public market data with weight headers', async () => {
    const ping = await client.request('GET', '/api/v3/ping', {}, { signed: false });
    expect(ping).toMatchObject({ status: 200, body: {} });
    expect(ping.headers.get('x-mbx-used-weight-1m')).toMatch(/^\d+$/);
    const depth = await client.request(
      'GET',
      '/api/v3/depth',
      { symbol: 'BTCUSDT', limit: 5 },
      { signed: false },
    );
    const book = depth.body as { bids: string[][]; asks: string[][] };
    expect(book.bids).toHaveLength(5);
    expect(Number(book.bids[0]![0]) < Number(book.asks[0]![0])).toBe(true);
    const price = await client.request(
      'GET',
      '/api/v3/ticker/price',
      { symbol: 'ETHUSDT' },
      { signed: false },
    );
    expect(price.body).toMatchObject({
      symbol: 'ETHUSDT',
      price: expect.stringMatching(/^\d+\.\d{8}$/),
    });
    const info = await client.request('GET', '/api/v3/exchangeInfo', {}, { signed: false });
    const symbols = (
      info.body as { symbols: Array<{ symbol: string; filters: Array<{ filterType: string }> }> }
    ).symbols;
    expect(symbols.map((s) => s.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(symbols[0]!.filters.map((f) => f.filterType)).toEqual(
      expect.arrayContaining(['PRICE_FILTER', 'LOT_SIZE', 'MARKET_LOT_SIZE', 'NOTIONAL']),
    );
  });

  it('places, queries and cancels signed orders, with parameters in body or query', async () => {
    const placed = await client.request('POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: '50000.00',
      quantity: '0.01000',
      newClientOrderId: 'http-1',
    });
    expect(placed.status).toBe(200);
    expect(placed.body).toMatchObject({ clientOrderId: 'http-1', status: 'NEW', fills: [] });
    expect(placed.headers.get('x-mbx-order-count-10s')).toBe('1');
    const byClientId = await client.request('GET', '/api/v3/order', {
      symbol: 'BTCUSDT',
      origClientOrderId: 'http-1',
    });
    expect(byClientId.body).toMatchObject({
      status: 'NEW',
      price: '50000.00000000',
      isWorking: true,
    });
    const cancel = await client.request('DELETE', '/api/v3/order', {
      symbol: 'BTCUSDT',
      origClientOrderId: 'http-1',
    });
    expect(cancel.body).toMatchObject({ origClientOrderId: 'http-1', status: 'CANCELED' });
    const inQuery = await client.request(
      'POST',
      '/api/v3/order',
      {
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'MARKET',
        quantity: '0.001',
        newOrderRespType: 'RESULT',
      },
      { inBody: false },
    );
    expect(inQuery.body).toMatchObject({ status: 'FILLED', executedQty: '0.00100000' });
    expect(inQuery.body).not.toHaveProperty('fills');
  });

  it('lists and cancels all open orders of a symbol', async () => {
    const resting = {
      symbol: 'ETHUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: '1000.00',
      quantity: '0.5',
    };
    await client.request('POST', '/api/v3/order', resting);
    await client.request('POST', '/api/v3/order', resting);
    const open = await client.request('GET', '/api/v3/openOrders', { symbol: 'ETHUSDT' });
    expect(open.body).toHaveLength(2);
    const canceled = await client.request('DELETE', '/api/v3/openOrders', { symbol: 'ETHUSDT' });
    expect((canceled.body as Array<{ status: string }>).map((o) => o.status)).toEqual([
      'CANCELED',
      'CANCELED',
    ]);
    const again = await client.request('DELETE', '/api/v3/openOrders', { symbol: 'ETHUSDT' });
    expect(again.body).toMatchObject({ code: -2011 });
  });

  it.each([
    ['bad signature', { signature: 'f'.repeat(64) }, 400, -1022],
    ['timestamp too old', { timestampOffsetMs: -10_000 }, 400, -1021],
    ['timestamp ahead', { timestampOffsetMs: 5_000 }, 400, -1021],
    ['unknown key', { apiKey: 'nobody' }, 401, -2015],
    ['no key', { apiKey: null }, 401, -2014],
  ])('refuses a signed request with %s', async (_, options, status, code) => {
    const response = await client.request('GET', '/api/v3/account', {}, options);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ code, msg: expect.any(String) });
  });

  it.each([
    [{ symbol: 'NOPEUSDT', side: 'BUY', type: 'MARKET', quantity: '1' }, -1121, 'Invalid symbol.'],
    [{ symbol: 'btcusdt', side: 'BUY', type: 'MARKET', quantity: '1' }, -1100, undefined],
    [
      { symbol: 'BTCUSDT', type: 'MARKET', quantity: '1' },
      -1102,
      "Mandatory parameter 'side' was not sent, was empty/null, or malformed.",
    ],
    [{ symbol: 'BTCUSDT', side: 'UP', type: 'MARKET', quantity: '1' }, -1117, 'Invalid side.'],
    [{ symbol: 'BTCUSDT', side: 'BUY', type: 'STOP', quantity: '1' }, -1116, 'Invalid orderType.'],
    [
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: '1', quantity: '1' },
      -1102,
      undefined,
    ],
    [
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'DAY',
        price: '1',
        quantity: '1',
      },
      -1115,
      'Invalid timeInForce.',
    ],
    [
      { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET' },
      -1102,
      "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!",
    ],
    [{ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '1e-3' }, -1100, undefined],
    [{ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.000000001' }, -1111, undefined],
    [
      { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001', price: '1' },
      -1106,
      "Parameter 'price' sent when not required.",
    ],
    [
      { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001', colour: 'red' },
      -1104,
      "Not all sent parameters were read; read '6' parameter(s) but was sent '7'.",
    ],
    [
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: '0.001',
        newClientOrderId: 'bad id!',
      },
      -1100,
      undefined,
    ],
    [
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        price: '50000.005',
        quantity: '0.001',
      },
      -1013,
      'Filter failure: PRICE_FILTER',
    ],
    [
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        price: '50000',
        quantity: '50',
      },
      -2010,
      'Account has insufficient balance for requested action.',
    ],
  ])('answers %j with code %i', async (params, code, msg) => {
    const response = await client.request('POST', '/api/v3/order', params);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code, msg: msg ?? expect.any(String) });
  });

  it('refuses duplicate parameters and answers unknown paths in the same shape', async () => {
    const duplicate = await fetch(`${exchange.url}/api/v3/depth?symbol=BTCUSDT&symbol=ETHUSDT`);
    expect(duplicate.status).toBe(400);
    expect(await duplicate.json()).toMatchObject({ code: -1101 });
    const unknown = await fetch(`${exchange.url}/api/v3/nothing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: -1000, msg: expect.any(String) });
    const wrongMethod = await fetch(`${exchange.url}/api/v3/order`, { method: 'PUT' });
    expect(wrongMethod.status).toBe(405);
  });

  it('answers oversized bodies and headers with well-formed errors', async () => {
    const big = await fetch(`${exchange.url}/api/v3/order`, {
      method: 'POST',
      body: 'a='.padEnd(100_000, 'x'),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: -1101 });
    const longUrl = await fetch(`${exchange.url}/api/v3/ping?x=${'y'.repeat(20_000)}`);
    expect(longUrl.status).toBe(431);
    expect(await longUrl.json()).toMatchObject({ code: -1000 });
  });

  it('exposes the ledger and a reset to admin callers with the token only', async () => {
    await client.request('POST', '/api/v3/order', {
      symbol: 'ETHUSDT',
      side: 'BUY',
      type: 'MARKET',
      quoteOrderQty: '100',
      newClientOrderId: 'ledger-1',
    });
    const denied = await fetch(`${exchange.url}/__admin/ledger`);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ code: -1002 });
    const headers = { 'X-Admin-Token': exchange.adminToken };
    const ledger = (await (
      await fetch(`${exchange.url}/__admin/ledger?fromSeq=1`, { headers })
    ).json()) as {
      entries: LedgerEntry[];
      nextSeq: number;
    };
    const mine = ledger.entries.filter((e) => e.clientOrderId === 'ledger-1').map((e) => e.event);
    expect(mine).toEqual(expect.arrayContaining(['ORDER_ACCEPTED', 'TRADE', 'ORDER_STATUS']));
    expect(ledger.entries.map((e) => e.seq)).toEqual(ledger.entries.map((_, i) => i + 1));
    const accounts = await (
      await fetch(`${exchange.url}/__admin/accounts`, {
        headers: { Authorization: `Bearer ${exchange.adminToken}` },
      })
    ).json();
    expect(accounts).toEqual([expect.objectContaining({ apiKey: DEFAULT_ACCOUNT.apiKey })]);
    const reset = await fetch(`${exchange.url}/__admin/reset`, { method: 'POST', headers });
    expect(await reset.json()).toEqual({ reset: true });
    const after = (await (await fetch(`${exchange.url}/__admin/ledger`, { headers })).json()) as {
      entries: unknown[];
    };
    expect(after.entries).toEqual([]);
  });
});

describe('rate limits over HTTP', () => {
  it('refuses new orders over the order limit with 429 -1015 and Retry-After, and nothing else', async () => {
    const limited = await createExchange({ rateLimits: { ordersPer10s: 2 } });
    try {
      const c = new BinanceTestClient(
        limited.url,
        DEFAULT_ACCOUNT.apiKey,
        DEFAULT_ACCOUNT.apiSecret,
      );
      const order = { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' };
      const responses = [];
      for (let i = 0; i < 8; i += 1)
        responses.push(await c.request('POST', '/api/v3/order', order));
      const refused = responses.filter((r) => r.status === 429);
      // A 10 s window boundary may fall inside the loop: at most 4 orders get through.
      expect(responses.length - refused.length).toBeLessThanOrEqual(4);
      expect(refused[0]?.body).toMatchObject({ code: -1015 });
      expect(Number(refused[0]?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused[0]?.headers.get('x-mbx-order-count-10s'))).toBeGreaterThan(2);
      // The order limit never bans and never blocks reads.
      expect(responses.some((r) => r.status === 418)).toBe(false);
      const open = await c.request('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
      expect(open.status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('answers 429 -1003 over the request weight limit, then 418 to a client that keeps sending', async () => {
    // A clock pinned mid-minute, so no window boundary falls inside the test.
    const midMinute = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
    const limited = await createExchange({
      rateLimits: { weightLimit: 30, banAfterViolations: 3 },
      now: () => midMinute,
    });
    try {
      const statuses: number[] = [];
      let first429: Response | undefined;
      let banned: Response | undefined;
      for (let i = 0; i < 12 && !banned; i += 1) {
        const response = await fetch(`${limited.url}/api/v3/depth?symbol=BTCUSDT`);
        statuses.push(response.status);
        if (response.status === 429) first429 ??= response;
        if (response.status === 418) banned = response;
        else if (response !== first429) await response.arrayBuffer();
      }
      expect(statuses.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(first429).toBeDefined();
      expect(await first429!.json()).toMatchObject({ code: -1003 });
      expect(Number(first429!.headers.get('x-mbx-used-weight-1m'))).toBeGreaterThan(30);
      expect(Number(first429!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(banned).toBeDefined();
      expect(await banned!.json()).toMatchObject({
        code: -1003,
        msg: expect.stringContaining('banned until'),
      });
      expect(Number(banned!.headers.get('retry-after'))).toBe(120);
    } finally {
      await limited.close();
    }
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  REQUEST_ID_HEADER,
  type VenueRequest,
  type WireRequest,
} from '../../src/evidence/model.js';
import { createExchange, DEFAULT_ACCOUNT, type Exchange } from '../../src/exchange/index.js';
import { createProxyServer } from '../../src/proxy/index.js';
import { BinanceTestClient } from '../support/binance-client.js';

/**
 * The evidence the exchange simulator records for the judge, over real
 * sockets: one VenueRequest per API request it answered, with what it made
 * of the request (authenticated, which order, accepted or which error).
 */

const HANG_GUARD_MS = 5_000;

let exchange: Exchange;
let client: BinanceTestClient;
let records: VenueRequest[];
let unsubscribe: () => void;
const internalErrors: unknown[] = [];

beforeAll(async () => {
  exchange = await createExchange({
    seed: 21,
    onInternalError: (error) => internalErrors.push(error),
  });
  client = new BinanceTestClient(exchange.url, DEFAULT_ACCOUNT.apiKey, DEFAULT_ACCOUNT.apiSecret);
  unsubscribe = exchange.onRequest((record) => records.push(record));
});
afterAll(async () => {
  unsubscribe();
  await exchange.close();
});
beforeEach(() => {
  records = [];
});

/** The single record the last request produced (written with its answer, before the client reads it). */
function only(): VenueRequest {
  expect(records).toHaveLength(1);
  return records[0]!;
}

const LIMIT_BUY = {
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  timeInForce: 'GTC',
  price: '50000.00',
  quantity: '0.01000',
};

describe('venue evidence: orders', () => {
  it('records an accepted order with the ids the venue gave it', async () => {
    const before = Date.now();
    const placed = await client.request('POST', '/api/v3/order', {
      ...LIMIT_BUY,
      newClientOrderId: 'ev-1',
    });
    expect(placed.status).toBe(200);
    const { orderId } = placed.body as { orderId: number };
    const record = only();
    expect(record).toEqual({
      at: expect.any(Number),
      requestId: null,
      apiKey: DEFAULT_ACCOUNT.apiKey,
      method: 'POST',
      path: '/api/v3/order',
      status: 200,
      code: null,
      retryAfterS: null,
      signed: true,
      symbol: 'BTCUSDT',
      order: {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.01000',
        price: '50000.00',
        clientOrderId: 'ev-1',
        orderId,
      },
    });
    expect(record.at).toBeGreaterThanOrEqual(before);
    expect(record.at).toBeLessThanOrEqual(Date.now());
  });

  it('records the client order id the venue assigned when none was sent', async () => {
    const placed = await client.request('POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'MARKET',
      quantity: '0.001',
    });
    const body = placed.body as { orderId: number; clientOrderId: string };
    expect(only().order).toEqual({
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'MARKET',
      quantity: '0.001',
      price: null,
      clientOrderId: body.clientOrderId,
      orderId: body.orderId,
    });
  });

  it('records an order refused for insufficient balance with its code and sent client order id', async () => {
    const refused = await client.request('POST', '/api/v3/order', {
      ...LIMIT_BUY,
      quantity: '100',
      newClientOrderId: 'ev-broke',
    });
    expect(refused.body).toMatchObject({ code: -2010 });
    expect(only()).toMatchObject({
      status: 400,
      code: -2010,
      signed: true,
      order: { quantity: '100', clientOrderId: 'ev-broke', orderId: null },
    });
  });

  it('records a request whose signature failed as not signed', async () => {
    await client.request('POST', '/api/v3/order', LIMIT_BUY, { signature: 'f'.repeat(64) });
    expect(only()).toMatchObject({ status: 400, code: -1022, signed: false });
    expect(only().order).toMatchObject({ clientOrderId: null, orderId: null });
  });

  it('still refuses unread parameters while recording', async () => {
    await client.request('POST', '/api/v3/order', { ...LIMIT_BUY, bogus: 'x' });
    expect(only()).toMatchObject({ status: 400, code: -1104, signed: true });
  });
});

describe('venue evidence: other requests', () => {
  it('records a signed order query with its symbol', async () => {
    await client.request('POST', '/api/v3/order', { ...LIMIT_BUY, newClientOrderId: 'ev-q' });
    records = [];
    const query = await client.request('GET', '/api/v3/order', {
      symbol: 'BTCUSDT',
      origClientOrderId: 'ev-q',
    });
    expect(query.status).toBe(200);
    expect(only()).toMatchObject({
      method: 'GET',
      path: '/api/v3/order',
      status: 200,
      signed: true,
      symbol: 'BTCUSDT',
      order: null,
    });
  });

  it('records unsigned market data, passes a request id through, and skips admin calls', async () => {
    const response = await fetch(`${exchange.url}/api/v3/depth?symbol=ETHUSDT&limit=5`, {
      headers: { [REQUEST_ID_HEADER]: 'exchange-42' },
      signal: AbortSignal.timeout(HANG_GUARD_MS),
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(only()).toMatchObject({
      requestId: 'exchange-42',
      apiKey: null,
      path: '/api/v3/depth',
      signed: false,
      symbol: 'ETHUSDT',
      code: null,
    });
    const admin = await fetch(`${exchange.url}/__admin/accounts`, {
      headers: { 'x-admin-token': exchange.adminToken },
      signal: AbortSignal.timeout(HANG_GUARD_MS),
    });
    expect(admin.status).toBe(200);
    await admin.arrayBuffer();
    expect(records).toHaveLength(1);
  });

  it('reports a throwing listener to onInternalError and still answers', async () => {
    const stop = exchange.onRequest(() => {
      throw new Error('listener bug');
    });
    try {
      expect((await client.request('GET', '/api/v3/ping', {}, { signed: false })).status).toBe(200);
    } finally {
      stop();
    }
    expect(internalErrors.splice(0)).toEqual([
      expect.objectContaining({ message: 'listener bug' }),
    ]);
    expect(records).toHaveLength(1);
  });

  it('joins with the proxy on the request id the proxy sent', async () => {
    const proxies = await createProxyServer({ port: 0 });
    try {
      const [proxy] = await proxies.populate([
        { name: 'exchange', upstream: `${exchange.host}:${exchange.port}`, mode: 'http' },
      ]);
      const wire: WireRequest[] = [];
      proxies.onWireRequest((record) => wire.push(record));
      const viaProxy = new BinanceTestClient(
        `http://${proxy!.spec.listen}`,
        DEFAULT_ACCOUNT.apiKey,
        DEFAULT_ACCOUNT.apiSecret,
      );
      await viaProxy.request('POST', '/api/v3/order', { ...LIMIT_BUY, newClientOrderId: 'ev-p' });
      await vi.waitFor(() => expect(wire).toHaveLength(1));
      expect(only()).toMatchObject({ requestId: 'exchange-1', order: { clientOrderId: 'ev-p' } });
      expect(wire[0]).toMatchObject({ requestId: 'exchange-1', status: 200, forwarded: true });
    } finally {
      await proxies.close();
    }
  });
});

describe('venue evidence: rate limits', () => {
  it('records the limiter 429 with Retry-After, stamped with the venue clock', async () => {
    // A clock pinned mid-minute, so no window boundary falls inside the test.
    const midMinute = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
    const limited = await createExchange({ rateLimits: { weightLimit: 10 }, now: () => midMinute });
    const seen: VenueRequest[] = [];
    limited.onRequest((record) => seen.push(record));
    try {
      let status = 0;
      for (let i = 0; i < 10 && status !== 429; i += 1) {
        const response = await fetch(`${limited.url}/api/v3/depth?symbol=BTCUSDT`, {
          signal: AbortSignal.timeout(HANG_GUARD_MS),
        });
        status = response.status;
        await response.arrayBuffer();
      }
      expect(status).toBe(429);
      const last = seen.at(-1)!;
      expect(last).toMatchObject({ status: 429, code: -1003, symbol: 'BTCUSDT', signed: false });
      expect(last.retryAfterS).toBeGreaterThan(0);
      expect(seen.every((record) => record.at === midMinute)).toBe(true);
    } finally {
      await limited.close();
    }
  });
});

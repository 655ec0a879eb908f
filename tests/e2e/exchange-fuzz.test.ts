import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExchange, DEFAULT_ACCOUNT, sign, type Exchange } from '../../src/exchange/index.js';

/**
 * Thousands of random, malformed and hostile requests: every answer must be a
 * well-formed JSON response below 500 — `{code, msg}` for errors — and the
 * server must still answer correctly afterwards.
 */

let exchange: Exchange;
const internalErrors: unknown[] = [];

beforeAll(async () => {
  exchange = await createExchange({
    rateLimits: { weightLimit: 1e9, ordersPer10s: 1e9 },
    onInternalError: (error) => internalErrors.push(error),
  });
});
afterAll(() => exchange.close());

const PATHS = [
  '/api/v3/ping',
  '/api/v3/time',
  '/api/v3/exchangeInfo',
  '/api/v3/depth',
  '/api/v3/ticker/price',
  '/api/v3/ticker/24hr',
  '/api/v3/order',
  '/api/v3/openOrders',
  '/api/v3/account',
  '/api/v3/myTrades',
  '/__admin/ledger',
  '/__admin/reset',
  '/__admin/accounts',
];
const NAMES = [
  'symbol',
  'symbols',
  'side',
  'type',
  'timeInForce',
  'quantity',
  'quoteOrderQty',
  'price',
  'newClientOrderId',
  'newOrderRespType',
  'orderId',
  'origClientOrderId',
  'limit',
  'fromId',
  'startTime',
  'endTime',
  'recvWindow',
  'omitZeroBalances',
  'timestamp',
  'signature',
];
const hostile = fc.constantFrom(
  '',
  ' ',
  '-1',
  '0',
  '1e9',
  'NaN',
  'Infinity',
  '9'.repeat(40),
  '0.' + '1'.repeat(30),
  '__proto__',
  'constructor',
  '["BTCUSDT"',
  '[]',
  '["BTCUSDT","NOPE"]',
  '%00',
  '\u0000',
  '😀',
  '<script>',
  "' OR 1=1 --",
  '../../etc/passwd',
);
const plausible = fc.constantFrom(
  'BTCUSDT',
  'ETHUSDT',
  'BUY',
  'SELL',
  'LIMIT',
  'MARKET',
  'LIMIT_MAKER',
  'GTC',
  'IOC',
  'FOK',
  '0.001',
  '0.01',
  '65000',
  '65000.01',
  '100',
  '1',
  'ACK',
  'RESULT',
  'FULL',
  'true',
  '500',
  '5000',
  '["BTCUSDT","ETHUSDT"]',
);
const value = fc.oneof(
  plausible,
  hostile,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
);
const name = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH'),
  path: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...PATHS) },
    { weight: 1, arbitrary: fc.webPath() },
  ),
  params: fc.array(fc.tuple(name, value), { maxLength: 12 }),
  signed: fc.boolean(),
  timestampOffsetMs: fc.oneof(fc.constant(0), fc.integer({ min: -120_000, max: 120_000 })),
  inBody: fc.boolean(),
  admin: fc.boolean(),
});

type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

async function send(r: FuzzRequest) {
  let payload = new URLSearchParams(r.params).toString();
  const headers: Record<string, string> = {};
  if (r.signed) {
    payload += `${payload ? '&' : ''}timestamp=${Date.now() + r.timestampOffsetMs}`;
    payload += `&signature=${sign(DEFAULT_ACCOUNT.apiSecret, payload)}`;
    headers['X-MBX-APIKEY'] = DEFAULT_ACCOUNT.apiKey;
  }
  if (r.admin) headers['X-Admin-Token'] = exchange.adminToken;
  const withBody = r.inBody && r.method !== 'GET';
  if (withBody) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const url = `${exchange.url}${r.path}${!withBody && payload ? `?${payload}` : ''}`;
  return fetch(url, {
    method: r.method,
    headers,
    body: withBody ? payload : undefined,
    signal: AbortSignal.timeout(5_000),
  });
}

describe('exchange fuzzing', () => {
  it('answers thousands of random requests with well-formed JSON and never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const response = await send(r);
        const text = await response.text();
        expect(response.status, text).toBeLessThan(500);
        expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
        const body = JSON.parse(text) as unknown;
        if (response.status !== 200) {
          expect(body).toEqual({ code: expect.any(Number), msg: expect.any(String) });
        } else {
          expect(typeof body).toBe('object');
        }
      }),
      { numRuns: 3000 },
    );
    expect(internalErrors).toEqual([]);
    const ping = await fetch(`${exchange.url}/api/v3/ping`);
    expect(await ping.json()).toEqual({});
  }, 120_000);

  it('survives raw garbage on the socket and answers or closes cleanly', async () => {
    const garbage = [
      'GARBAGE\r\n\r\n',
      'GET / HTTP/9.9\r\n\r\n',
      'POST /api/v3/order HTTP/1.1\r\nContent-Length: -5\r\n\r\n',
      'POST /api/v3/order HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      '\u0000\u0001\u0002\u00ff',
    ];
    for (const bytes of garbage) {
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(exchange.port, '127.0.0.1');
        let data = '';
        socket.setTimeout(5_000, () => reject(new Error('no answer and no close')));
        socket.on('data', (chunk) => (data += chunk.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', () => resolve(data));
        socket.end(bytes);
      });
      if (reply === '') continue;
      // One response, a 4xx; its body, when it has one (Node answers a request broken
      // mid-body itself, with none), is the venue's error shape.
      expect(reply.match(/HTTP\/1\.1 /g)).toHaveLength(1);
      expect(reply).toMatch(/^HTTP\/1\.1 4\d\d /);
      const body = reply.slice(reply.indexOf('\r\n\r\n') + 4);
      if (!body.startsWith('0\r\n'))
        expect(JSON.parse(body)).toMatchObject({ code: expect.any(Number) });
    }
    expect(internalErrors).toEqual([]);
    expect((await fetch(`${exchange.url}/api/v3/time`)).status).toBe(200);
  });
});

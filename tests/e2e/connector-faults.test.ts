import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createExchange, DEFAULT_ACCOUNT, type Exchange } from '../../src/exchange/index.js';
import {
  CcxtVenueClient,
  VenueError,
  type PlaceOrderRequest,
  type VenueFailure,
} from '../../src/engine/connector/index.js';
import { parseProxySpec, parseToxicSpec, Proxy } from '../../src/proxy/index.js';

/** Every network test gives up after this long rather than hanging the run. */
const HANG_GUARD_MS = 20_000;
/** ccxt's timeout for the client under fault: short, so timeouts are quick to see. */
const CLIENT_TIMEOUT_MS = 600;

let exchange: Exchange;
let proxy: Proxy;
let client: CcxtVenueClient;

async function failureOf(promise: Promise<unknown>): Promise<VenueFailure> {
  const error = await promise.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VenueError);
  return (error as VenueError).failure;
}

function addToxic(input: Record<string, unknown>): void {
  proxy.addToxic(parseToxicSpec(input));
}

function marketBuy(clientOrderId: string): PlaceOrderRequest {
  return {
    symbol: 'BTC/USDT',
    side: 'BUY',
    type: 'MARKET',
    quantity: '0.001',
    price: null,
    timeInForce: null,
    clientOrderId,
  };
}

beforeAll(async () => {
  exchange = await createExchange({ seed: 13 });
  proxy = await Proxy.create(
    parseProxySpec({
      name: 'exchange',
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${exchange.port}`,
      mode: 'http',
    }),
  );
  client = new CcxtVenueClient({
    baseUrl: `http://${proxy.spec.listen}`,
    apiKey: DEFAULT_ACCOUNT.apiKey,
    secret: DEFAULT_ACCOUNT.apiSecret,
    timeoutMs: CLIENT_TIMEOUT_MS,
  });
  await client.markets();
});
afterEach(() => proxy.removeAllToxics());
afterAll(async () => {
  await client.close();
  await proxy.close();
  await exchange.close();
});

describe('CcxtVenueClient through the fault proxy', () => {
  it(
    'round-trips an order through the proxy',
    async () => {
      const filled = await client.placeOrder(marketBuy('fault-ok-1'));
      expect(filled.status).toBe('FILLED');
      expect(await client.queryOrder('BTC/USDT', 'fault-ok-1')).toMatchObject({ status: 'FILLED' });
    },
    HANG_GUARD_MS,
  );

  it(
    'classifies an injected 429 as rate_limited and holds every request until Retry-After has passed',
    async () => {
      addToxic({
        type: 'http_status',
        stream: 'upstream',
        attributes: {
          status: 429,
          headers: { 'Retry-After': '2' },
          body: '{"code":-1003,"msg":"Too many requests."}',
        },
      });
      const closures: Array<{ at: number; until: number; httpStatus: number }> = [];
      const onClose = (event: (typeof closures)[number]) => closures.push(event);
      client.on('rateLimited', onClose);
      const failure = await failureOf(client.ping());
      expect(failure).toMatchObject({
        kind: 'rate_limited',
        httpStatus: 429,
        venueCode: -1003,
        retryAfterMs: 2000,
      });
      expect(closures).toHaveLength(1);
      expect(closures[0]!.until - closures[0]!.at).toBeGreaterThan(1900);
      expect(client.gateRemainingMs()).toBeGreaterThan(0);
      proxy.removeAllToxics();
      const seenBefore = proxy.stats.requests.seen;
      const held = client.ping();
      // Nothing reaches the proxy while the gate is closed.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(proxy.stats.requests.seen).toBe(seenBefore);
      await held;
      expect(Date.now()).toBeGreaterThanOrEqual(closures[0]!.until);
      expect(proxy.stats.requests.seen).toBe(seenBefore + 1);
      expect(client.gateRemainingMs()).toBe(0);
      client.off('rateLimited', onClose);
    },
    HANG_GUARD_MS,
  );

  it(
    'classifies an unanswered request as ambiguous after the ccxt timeout, while the order exists',
    async () => {
      addToxic({
        type: 'http_timeout',
        stream: 'downstream',
        match: { method: 'POST', path: '/api/v3/order' },
      });
      const started = performance.now();
      const failure = await failureOf(client.placeOrder(marketBuy('fault-timeout-1')));
      expect(failure).toMatchObject({ kind: 'ambiguous', httpStatus: undefined });
      expect(failure.errorClass).toMatch(/^RequestTimeout/);
      expect(performance.now() - started).toBeGreaterThanOrEqual(CLIENT_TIMEOUT_MS - 50);
      proxy.removeAllToxics();
      expect(await client.queryOrder('BTC/USDT', 'fault-timeout-1')).toMatchObject({
        status: 'FILLED',
      });
    },
    HANG_GUARD_MS,
  );

  it(
    "ends a request when the caller's signal aborts: ambiguous, without waiting for the ccxt timeout",
    async () => {
      addToxic({ type: 'http_timeout', stream: 'upstream', match: { path: '/api/v3/time' } });
      const controller = new AbortController();
      const started = performance.now();
      const pending = failureOf(client.ping(controller.signal));
      setTimeout(() => controller.abort(), 50);
      expect(await pending).toMatchObject({ kind: 'ambiguous', errorClass: 'CallerAborted' });
      expect(performance.now() - started).toBeLessThan(CLIENT_TIMEOUT_MS);
    },
    HANG_GUARD_MS,
  );

  it(
    'rejects requests waiting at a closed gate as not_sent when the client closes',
    async () => {
      const closing = new CcxtVenueClient({
        baseUrl: `http://${proxy.spec.listen}`,
        apiKey: DEFAULT_ACCOUNT.apiKey,
        secret: DEFAULT_ACCOUNT.apiSecret,
      });
      addToxic({
        type: 'http_status',
        attributes: {
          status: 418,
          headers: { 'Retry-After': '120' },
          body: '{"code":-1003,"msg":"banned"}',
        },
      });
      expect(await failureOf(closing.ping())).toMatchObject({
        kind: 'rate_limited',
        httpStatus: 418,
        retryAfterMs: 120_000,
      });
      expect(closing.gateRemainingMs()).toBeGreaterThan(100_000);
      const waiting = failureOf(closing.balances());
      await closing.close();
      expect(await waiting).toMatchObject({ kind: 'not_sent', errorClass: 'GateAborted' });
    },
    HANG_GUARD_MS,
  );

  it(
    'classifies a dropped answer on the order path as ambiguous, while the order exists',
    async () => {
      addToxic({ type: 'http_drop_response', match: { method: 'POST', path: '/api/v3/order' } });
      const failure = await failureOf(client.placeOrder(marketBuy('fault-drop-1')));
      expect(failure.kind).toBe('ambiguous');
      expect(failure.errorClass).toMatch(/^NetworkError\((ECONNRESET|UND_ERR_SOCKET)\)$/);
      // Reads still pass: only the order path is faulted.
      expect(await client.queryOrder('BTC/USDT', 'fault-drop-1')).toMatchObject({
        status: 'FILLED',
      });
    },
    HANG_GUARD_MS,
  );

  it(
    'classifies a closed listener as not_sent, and recovers when it opens again',
    async () => {
      const fresh = new CcxtVenueClient({
        baseUrl: `http://${proxy.spec.listen}`,
        apiKey: DEFAULT_ACCOUNT.apiKey,
        secret: DEFAULT_ACCOUNT.apiSecret,
      });
      await proxy.update({ enabled: false });
      try {
        // A client with no open connection must connect, and is refused: nothing was sent.
        expect(await failureOf(fresh.placeOrder(marketBuy('fault-down-1')))).toMatchObject({
          kind: 'not_sent',
          errorClass: 'NetworkError(ECONNREFUSED)',
        });
        // The proxy reset the old client's idle keep-alive connections. A request written on one
        // before the client has read that reset fails with ECONNRESET: ambiguous, since a reset
        // after a write proves nothing. Once every reset is read, requests are refused.
        const kinds: string[] = [];
        while (kinds.at(-1) !== 'not_sent' && kinds.length < 10) {
          kinds.push((await failureOf(client.placeOrder(marketBuy('fault-down-2')))).kind);
        }
        expect(kinds.at(-1)).toBe('not_sent');
        expect(kinds.slice(0, -1).every((kind) => kind === 'ambiguous')).toBe(true);
      } finally {
        await proxy.update({ enabled: true });
        await fresh.close();
      }
      // Neither reached the venue.
      for (const id of ['fault-down-1', 'fault-down-2']) {
        expect(await failureOf(client.queryOrder('BTC/USDT', id))).toMatchObject({
          kind: 'not_found',
        });
      }
      await client.ping();
    },
    HANG_GUARD_MS,
  );
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExchange, DEFAULT_ACCOUNT, type Exchange } from '../../src/exchange/index.js';
import { CcxtVenueClient, VenueError } from '../../src/engine/connector/index.js';

/** Every network test gives up after this long rather than hanging the run. */
const HANG_GUARD_MS = 25_000;
const CALLERS = 8;
const PINGS_PER_CALLER = 6;
const WEIGHT_PER_MINUTE = 30;
/** Requests already on the wire when the first 429 came back still arrive; after this they may not. */
const IN_FLIGHT_GRACE_MS = 200;
/** Where in its minute the simulator's clock stands when the hammering starts: 3 s before the window resets. */
const START_IN_MINUTE_MS = 57_000;

let exchange: Exchange;
let clockOffsetMs = 0;
/** What the venue decided for each request, in arrival order, timed on the test's clock. */
const arrivals: Array<{ atMs: number; status: number }> = [];

beforeAll(async () => {
  exchange = await createExchange({
    // One ban needs more violations than there can be requests in flight (one per caller):
    // a 418 then proves that some caller sent during the back-off.
    rateLimits: { weightLimit: WEIGHT_PER_MINUTE, banAfterViolations: CALLERS },
    now: () => Date.now() + clockOffsetMs,
  });
  const limiter = exchange.rateLimiter;
  const chargeWeight = limiter.chargeWeight.bind(limiter);
  limiter.chargeWeight = (address, weight) => {
    const decision = chargeWeight(address, weight);
    arrivals.push({ atMs: Date.now(), status: decision.allowed ? 200 : decision.status });
    return decision;
  };
});
afterAll(() => exchange.close());

describe('the shared rate-limit gate', () => {
  it(
    'lets no request reach the venue after a 429 until Retry-After has passed, so many callers are never banned',
    async () => {
      const client = new CcxtVenueClient({
        baseUrl: exchange.url,
        apiKey: DEFAULT_ACCOUNT.apiKey,
        secret: DEFAULT_ACCOUNT.apiSecret,
        timeoutMs: 5000,
      });
      const closures: Array<{ at: number; until: number; httpStatus: number }> = [];
      client.on('rateLimited', (event) => closures.push(event));
      // Move the simulator's clock (forward only) to just before its weight window resets,
      // so its back-off lasts seconds, not up to a minute.
      clockOffsetMs = (START_IN_MINUTE_MS - (Date.now() % 60_000) + 60_000) % 60_000;
      let refusals = 0;
      const caller = async () => {
        for (let done = 0; done < PINGS_PER_CALLER;) {
          try {
            await client.ping();
            done += 1;
          } catch (error) {
            if (!(error instanceof VenueError) || error.kind !== 'rate_limited') throw error;
            refusals += 1;
          }
        }
      };
      try {
        await Promise.all(Array.from({ length: CALLERS }, caller));
      } finally {
        await client.close();
      }

      expect(arrivals.filter((a) => a.status === 418)).toEqual([]);
      expect(closures.length).toBeGreaterThanOrEqual(1);
      const first = closures[0]!;
      expect(first.httpStatus).toBe(429);
      expect(first.until - first.at).toBeGreaterThanOrEqual(1000);
      const during = arrivals.filter((a) => a.atMs >= first.at && a.atMs < first.until);
      // Only requests sent before the gate closed arrive during the back-off, and only at its start.
      expect(during.length).toBeLessThan(CALLERS);
      expect(during.filter((a) => a.atMs > first.at + IN_FLIGHT_GRACE_MS)).toEqual([]);
      expect(refusals).toBeGreaterThanOrEqual(1);
      expect(refusals).toBeLessThanOrEqual(CALLERS);
      expect(arrivals.filter((a) => a.status === 200)).toHaveLength(CALLERS * PINGS_PER_CALLER);
      expect(arrivals.filter((a) => a.atMs >= first.until).every((a) => a.status === 200)).toBe(
        true,
      );
    },
    HANG_GUARD_MS,
  );
});

describe('the order-count limit', () => {
  it(
    'holds only new orders after a -1015: reads and cancels go on',
    async () => {
      const venue = await createExchange({ rateLimits: { ordersPer10s: 2 } });
      const client = new CcxtVenueClient({
        baseUrl: venue.url,
        apiKey: DEFAULT_ACCOUNT.apiKey,
        secret: DEFAULT_ACCOUNT.apiSecret,
        timeoutMs: 5000,
      });
      const closures: Array<{ scope: string }> = [];
      client.on('rateLimited', (event) => closures.push(event));
      const order = (n: number) => ({
        symbol: 'BTC/USDT',
        side: 'BUY' as const,
        type: 'LIMIT' as const,
        quantity: '0.001',
        price: '30000',
        timeInForce: 'GTC' as const,
        clientOrderId: `gate-${n}`,
      });
      try {
        await client.placeOrder(order(1));
        await client.placeOrder(order(2));
        const third = await client.placeOrder(order(3)).catch((error: unknown) => error);
        expect(third).toBeInstanceOf(VenueError);
        expect((third as VenueError).failure).toMatchObject({
          kind: 'rate_limited',
          venueCode: -1015,
        });
        expect(closures).toEqual([expect.objectContaining({ scope: 'orders', httpStatus: 429 })]);

        expect(client.gateRemainingMs()).toBe(0);
        await client.ping();
        await client.cancelOrder('BTC/USDT', 'gate-1');
        const held = await client
          .placeOrder(order(4), AbortSignal.timeout(300))
          .catch((error: unknown) => error);
        expect((held as VenueError).failure.kind).toBe('not_sent');
      } finally {
        await client.close();
        await venue.close();
      }
    },
    HANG_GUARD_MS,
  );
});

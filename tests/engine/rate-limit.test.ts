import { describe, expect, it } from 'vitest';
import {
  delay,
  eventually,
  INVARIANTS_HOLD,
  stackForSuite,
  stopAndJudge,
} from '../support/engine-stack.js';

/** Requests already on the wire when a 429 came back may still arrive; nothing sent after it may. */
const IN_FLIGHT_GRACE_MS = 250;

const FLOOD_429 = {
  type: 'http_status',
  toxicity: 0.5,
  attributes: {
    status: 429,
    headers: { 'Retry-After': '1', 'Content-Type': 'application/json' },
    body: '{"code":-1003,"msg":"Too much request weight used; current limit is 6000 request weight per 1 MINUTE."}',
  },
};

/**
 * The rate_limit_flood fault: half the exchange's answers are 429 with
 * Retry-After. Arrivals are timed at the venue itself; none may land inside
 * a back-off window the engine was told about, and the venue never bans it.
 */
describe('429 flood', () => {
  const arrivals: Array<{ at: number; status: number }> = [];
  const closures: Array<{ at: number; until: number }> = [];
  let placedDuringFlood = 0;
  let flooding = false;

  const stack = stackForSuite({ seed: 5 }, (started) => {
    const limiter = started.exchange.rateLimiter;
    const chargeWeight = limiter.chargeWeight.bind(limiter);
    limiter.chargeWeight = (address, weight) => {
      const decision = chargeWeight(address, weight);
      arrivals.push({ at: Date.now(), status: decision.allowed ? 200 : decision.status });
      return decision;
    };
    const engine = started.engine.engine!;
    engine.venue.on('rateLimited', (event) => closures.push(event));
    engine.executor.on('outcome', ({ outcome }) => {
      if (flooding && outcome.kind === 'placed') placedDuringFlood += 1;
    });
  });

  it('holds every request until Retry-After has passed, and keeps trading between', async () => {
    await delay(1_000);
    await stack().proxyClient.addToxic('exchange', FLOOD_429);
    flooding = true;
    await eventually(() => closures.length >= 3, 10_000, 'the engine to see 429s');
    await delay(5_000);
    // On a busy machine the windows between back-offs can pass without an order: wait, bounded.
    await eventually(() => placedDuringFlood > 0, 20_000, 'an order placed during the flood');
    await stack().proxyClient.reset();
    flooding = false;
    const { summary, invariants } = await stopAndJudge(stack());

    const inWindow = arrivals.filter((arrival) =>
      closures.some((c) => arrival.at > c.at + IN_FLIGHT_GRACE_MS && arrival.at < c.until),
    );
    expect(inWindow).toEqual([]);
    expect(arrivals.filter((arrival) => arrival.status === 418)).toEqual([]);
    expect(closures.every((c) => c.until - c.at >= 900)).toBe(true);
    expect(placedDuringFlood).toBeGreaterThan(0);
    expect(summary.unresolved).toBe(0);
    expect(invariants).toMatchObject(INVARIANTS_HOLD);
    expect(summary.balances).toMatchObject({ checked: true, ok: true });
  }, 90_000);
});

/**
 * The venue's own weight limit, low enough for the engine's traffic to reach
 * it. The engine reads the limit from exchangeInfo and the used weight from
 * every answer, and holds requests until the window turns before the venue
 * has to refuse: it is never banned, and trades on.
 */
describe('venue weight limit', () => {
  const statuses: number[] = [];
  let paced = 0;
  const stack = stackForSuite(
    { seed: 6, exchange: { rateLimits: { weightLimit: 150, weightWindowSeconds: 3 } } },
    (started) => {
      const engine = started.engine.engine!;
      engine.venue.on('paced', () => (paced += 1));
      engine.venue.on('request', ({ failure }) => {
        if (failure?.httpStatus !== undefined) statuses.push(failure.httpStatus);
      });
    },
  );

  it('paces itself under the limit: never banned, still trading', async () => {
    await eventually(() => paced >= 2, 20_000, 'the engine to pace itself twice');
    const { summary, invariants } = await stopAndJudge(stack());

    expect(statuses.filter((status) => status === 418)).toEqual([]);
    expect(summary.outcomes.placed).toBeGreaterThan(10);
    expect(summary.unresolved).toBe(0);
    expect(invariants).toMatchObject(INVARIANTS_HOLD);
  }, 90_000);
});

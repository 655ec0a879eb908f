import { describe, expect, it } from 'vitest';
import type { Stack } from '../../src/stack/index.js';
import {
  countOrderEvents,
  delay,
  eventually,
  INVARIANTS_HOLD,
  stackForSuite,
  stopAndJudge,
} from '../support/engine-stack.js';

/**
 * A partition: requests to the exchange get no answer at all. Orders in
 * flight cannot be known; they go UNKNOWN and must all be settled after the
 * heal, by query, without a duplicate.
 */
describe('network partition', () => {
  let events: ReturnType<typeof countOrderEvents>;
  const stack = stackForSuite({ seed: 11 }, (started) => (events = countOrderEvents(started)));

  it('orders go UNKNOWN during the partition and are all resolved after the heal', async () => {
    await delay(1_000);
    await stack().proxyClient.addToxic('exchange', {
      type: 'http_timeout',
      attributes: { timeout: 0 },
    });
    await eventually(() => (events.get('UNKNOWN') ?? 0) > 0, 10_000, 'an UNKNOWN order');
    await eventually(() => breaker(stack()) === 'open', 10_000, 'the exchange breaker to open');
    await delay(2_000);
    await stack().proxyClient.reset();
    await eventually(
      () => breaker(stack()) === 'closed',
      5_000,
      'the breaker to close after the heal',
    );
    await delay(2_000);
    const { summary, invariants } = await stopAndJudge(stack());

    expect(summary.unresolved).toBe(0);
    expect(summary.outcomes.placed).toBeGreaterThan(10);
    expect(invariants).toMatchObject(INVARIANTS_HOLD);
    expect(summary.balances).toMatchObject({ checked: true, ok: true });
  }, 60_000);
});

function breaker(stack: Stack): unknown {
  return stack.engine.engine?.components().exchange['breaker'];
}

/**
 * The partition that swallows requests before the venue sees them. The venue
 * never has these orders: once their requests are older than recvWindow, the
 * engine may, and must, send them again, and each still ends as one order.
 */
describe('network partition before the venue', () => {
  let events: ReturnType<typeof countOrderEvents>;
  const stack = stackForSuite(
    { seed: 13, engine: { executor: { orderDeadlineMs: 8_000, clockMarginMs: 300 } } },
    (started) => (events = countOrderEvents(started)),
  );

  it('resends orders the venue never received, once their first request can no longer land', async () => {
    await delay(1_000);
    await stack().proxyClient.addToxic('exchange', {
      type: 'http_timeout',
      stream: 'upstream',
      attributes: { timeout: 0 },
    });
    await eventually(() => (events.get('UNKNOWN') ?? 0) > 0, 10_000, 'an UNKNOWN order');
    await delay(1_000);
    await stack().proxyClient.reset();
    await delay(5_000);
    const journal = stack().engine.engine!.journal;
    const { summary, invariants } = await stopAndJudge(stack());
    // Sent again after being UNKNOWN: the venue's acknowledgement came for a later attempt.
    const resent: string[] = [];
    for (const order of await journal.orders()) {
      const kinds = (await journal.events(order.clientOrderId)).map((event) => event.kind);
      if (kinds.includes('UNKNOWN') && kinds.indexOf('ACK') > kinds.indexOf('UNKNOWN')) {
        resent.push(order.clientOrderId);
      }
    }

    expect(resent.length).toBeGreaterThan(0);
    expect(summary.unresolved).toBe(0);
    expect(invariants).toMatchObject(INVARIANTS_HOLD);
    expect(summary.balances).toMatchObject({ checked: true, ok: true });
  }, 60_000);
});

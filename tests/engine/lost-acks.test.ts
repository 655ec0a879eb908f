import { describe, expect, it } from 'vitest';
import {
  countOrderEvents,
  delay,
  INVARIANTS_HOLD,
  stackForSuite,
  stopAndJudge,
} from '../support/engine-stack.js';

/**
 * The case that makes naive engines place orders twice: the venue executes the
 * order and the answer is lost. Every lost answer must end as exactly one
 * order, found by client order id, never resubmitted blindly.
 */
describe('lost acknowledgements', () => {
  let events: ReturnType<typeof countOrderEvents>;
  const stack = stackForSuite({ seed: 7 }, (started) => (events = countOrderEvents(started)));

  it('30 % of order answers dropped: no duplicate, no lost, nothing unresolved', async () => {
    await delay(1_000);
    await stack().proxyClient.addToxic('exchange', {
      type: 'http_drop_response',
      toxicity: 0.3,
      match: { method: 'POST', path: '/api/v3/order' },
    });
    await delay(6_000);
    await stack().proxyClient.reset();
    const { summary, invariants } = await stopAndJudge(stack());

    expect(events.get('UNKNOWN') ?? 0).toBeGreaterThan(5);
    expect(events.get('RESOLVED') ?? 0).toBeGreaterThan(0);
    expect(summary.outcomes.placed).toBeGreaterThan(30);
    expect(invariants).toMatchObject(INVARIANTS_HOLD);
    expect(summary.balances).toMatchObject({ checked: true, ok: true });
  }, 60_000);
});

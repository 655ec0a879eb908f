import { describe, expect, it } from 'vitest';
import {
  delay,
  eventually,
  INVARIANTS_HOLD,
  stackForSuite,
  stopAndJudge,
} from '../support/engine-stack.js';

/**
 * The journal's database goes away (connections reset, then refused) while
 * the engine trades. Trading must go on, every journal write lands in the
 * spool, and after the heal the spool drains so journal and ledger agree.
 */
describe('database outage', () => {
  const spool: string[] = [];
  let placedDuringOutage = 0;
  let outage = false;

  const stack = stackForSuite({ seed: 3 }, (started) => {
    started.engine.events.on('spool', ({ state }) => spool.push(state));
    started.engine.events.on('outcome', ({ outcome }) => {
      if (outage && outcome.kind === 'placed') placedDuringOutage += 1;
    });
  });

  it('trades on through resets and refusals, then drains the spool', async () => {
    const journal = stack().engine.engine!.journal;
    await delay(1_000);
    outage = true;
    await stack().proxyClient.addToxic('database', {
      type: 'reset_peer',
      attributes: { timeout: 0 },
    });
    await eventually(() => spool.includes('started'), 10_000, 'the journal to start spooling');
    await delay(1_500);
    await stack().proxyClient.updateProxy('database', { enabled: false });
    await delay(2_000);
    const spooledDuringOutage = journal.status().spooled;
    await stack().proxyClient.reset();
    outage = false;
    await eventually(() => spool.includes('drained'), 10_000, 'the spool to drain');
    const { summary, invariants } = await stopAndJudge(stack());

    expect(placedDuringOutage).toBeGreaterThan(10);
    expect(spooledDuringOutage).toBeGreaterThan(20);
    expect(journal.status()).toMatchObject({ mode: 'direct', spoolDepth: 0 });
    expect(summary.unresolved).toBe(0);
    expect(invariants).toMatchObject(INVARIANTS_HOLD);
    expect(summary.balances).toMatchObject({ checked: true, ok: true });
    expect(invariants.exchangeOrders).toBeGreaterThan(20);
  }, 90_000);
});

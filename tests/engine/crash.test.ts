import { describe, expect, it } from 'vitest';
import {
  delay,
  eventually,
  INVARIANTS_HOLD,
  stackForSuite,
  stopAndJudge,
} from '../support/engine-stack.js';

/**
 * The engine runs as a child process and is killed with SIGKILL mid-load:
 * no shutdown code runs. Restarted on the same data directory, it must
 * replay what it spooled, settle every order it was unsure of, and carry on
 * with client order ids that do not collide with the dead process's.
 */
describe('engine crash', () => {
  const stack = stackForSuite({ seed: 9, engineProcess: 'child' });

  it('SIGKILL mid-load, and again mid-outage: journal equals ledger after restarts', async () => {
    await delay(3_000);
    const firstPid = stack().engine.pid;
    await stack().engine.kill();
    const ordersAfterFirstCrash = stack().exchange.venue.ledger.size;

    await stack().restartEngine();
    expect(stack().engine.pid).not.toBe(firstPid);
    await delay(2_000);
    let spooling = false;
    stack().engine.events.on('spool', ({ state }) => (spooling = state === 'started'));
    await stack().proxyClient.addToxic('database', {
      type: 'reset_peer',
      attributes: { timeout: 0 },
    });
    await eventually(() => spooling, 10_000, 'the engine to spool');
    await delay(1_000);
    await stack().engine.kill();
    await stack().proxyClient.reset();

    await stack().restartEngine();
    await delay(2_000);
    const { summary, invariants } = await stopAndJudge(stack());

    expect(stack().exchange.venue.ledger.size).toBeGreaterThan(ordersAfterFirstCrash);
    expect(summary.outcomes.placed).toBeGreaterThan(5);
    expect(summary.unresolved).toBe(0);
    expect(invariants).toMatchObject(INVARIANTS_HOLD);
    expect(summary.balances).toMatchObject({ checked: true, ok: true });
    expect(invariants.exchangeOrders).toBeGreaterThan(30);
  }, 120_000);
});

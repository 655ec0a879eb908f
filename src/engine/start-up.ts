import { join } from 'node:path';
import { formatAmount, signedAmount, sleep } from '../common/index.js';
import { createPgJournal, EMBEDDED_POOL_SIZE, type Journal } from '../journal/index.js';
import { CcxtVenueClient, type MarketRules } from './connector/index.js';
import type { EngineOptions } from './engine-options.js';
import { ClientOrderIds, OrderStore } from './executor/index.js';
import { restoreStore } from './restore.js';

/** What the engine must have before it can decide anything: venue, journal, and its memory. */
export interface Dependencies {
  venue: CcxtVenueClient;
  journal: Journal;
  rules: Map<string, MarketRules>;
  store: OrderStore;
  ids: ClientOrderIds;
}

/**
 * Opens the journal first (replaying any spool a crashed process left), then
 * the venue's rules, then rebuilds memory from the journal: client order ids
 * continue, live orders come back, positions are summed. With no live order,
 * the account's balances are recorded as the baseline later fills must explain.
 */
export async function openDependencies(
  options: EngineOptions,
  requestTimeoutMs: number,
  signal: AbortSignal,
): Promise<Dependencies> {
  const venue = new CcxtVenueClient({ timeoutMs: requestTimeoutMs, ...options.exchange });
  const journal = createPgJournal({
    connectionString: options.database.url,
    spoolPath: join(options.dataDir, 'journal.spool'),
    poolSize: options.database.embedded ? EMBEDDED_POOL_SIZE : undefined,
  });
  await journal.open(signal);
  const rules = await untilAnswered((s) => venue.markets(s), signal);
  const store = new OrderStore();
  const ids = new ClientOrderIds();
  ids.restore(await journal.lastSequences());
  await restoreStore(journal, store);
  if (store.size === 0) {
    // Quiet: no order can still fill, so the fills of orders from now on must explain any change.
    await journal.recordBalanceBaseline({
      at: Date.now(),
      balances: await totalBalances(venue, signal),
    });
  }
  return { venue, journal, rules, store, ids };
}

async function totalBalances(
  venue: CcxtVenueClient,
  signal: AbortSignal,
): Promise<Record<string, string>> {
  const balances = await untilAnswered((s) => venue.balances(s), signal);
  return Object.fromEntries(
    [...balances].map(([asset, { free, locked }]) => [
      asset,
      formatAmount(signedAmount(free) + signedAmount(locked)),
    ]),
  );
}

/** Retries a venue call until it answers: the engine cannot trade without the venue's rules. */
async function untilAnswered<T>(
  call: (signal: AbortSignal) => Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  for (;;) {
    try {
      return await call(signal);
    } catch (error) {
      if (signal.aborted) throw error;
      await sleep(500, signal);
    }
  }
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createPgJournal,
  migrate,
  MIGRATIONS,
  type Journal,
  type JournalEntry,
  type OrderEventKind,
  type OrderRecord,
  type PgJournalOptions,
} from '../../src/journal/index.js';

/** Every network test fails after this rather than hang. */
export const HANG_GUARD_MS = 20_000;

/** A database the contract runs against, created once per suite. */
export interface ContractDatabase {
  url: string;
  /** The pool size journals on it must use (1 on the embedded database). */
  poolSize?: number;
  close(): Promise<void>;
}

/** An order at a given version, with amounts that a numeric column would not keep verbatim. */
export function makeOrder(clientOrderId: string, version: number, over: Partial<OrderRecord> = {}) {
  const order: OrderRecord = {
    clientOrderId,
    strategyId: clientOrderId.slice(0, clientOrderId.lastIndexOf('-')),
    symbol: 'BTC/USDT',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: '0.00100000',
    price: '64123.45000000',
    status: version === 1 ? 'PENDING' : 'NEW',
    exchangeOrderId: version === 1 ? null : `x-${clientOrderId}`,
    executedQty: `0.${String(version).padStart(8, '0')}`,
    cumulativeQuote: '0',
    attempts: Math.min(version, 3),
    lastSentAt: version === 1 ? null : 1_700_000_000_000 + version,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000 + version * 10,
    version,
    reason: null,
  };
  return { ...order, ...over };
}

export function makeEntry(order: OrderRecord, kind: OrderEventKind = 'STATUS'): JournalEntry {
  return { kind, order, detail: { version: order.version, note: `v${order.version}` } };
}

/** Empties the database, schema included, so each test starts from nothing. */
export async function resetDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, query_timeout: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(
      'drop table if exists order_events, orders, balance_baseline, schema_migrations',
    );
  } finally {
    await client.end();
  }
}

/**
 * The Journal contract, run against every database the journal supports.
 * Each test gets an empty database, its own spool directory and journals
 * that are closed after it.
 */
export function journalContract(name: string, start: () => Promise<ContractDatabase>): void {
  describe(`Journal contract: ${name}`, () => {
    let database: ContractDatabase;
    let spoolDir: string;
    const opened: Journal[] = [];

    beforeAll(async () => {
      database = await start();
    }, 60_000);
    afterAll(async () => {
      await database?.close();
    });
    beforeEach(async () => {
      await resetDatabase(database.url);
      spoolDir = await mkdtemp(join(tmpdir(), 'n1v1-journal-'));
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((journal) => journal.close()));
      await rm(spoolDir, { recursive: true, force: true });
    });

    async function openJournal(over: Partial<PgJournalOptions> = {}): Promise<Journal> {
      const journal = createPgJournal({
        connectionString: database.url,
        poolSize: database.poolSize,
        spoolPath: join(spoolDir, 'journal.spool'),
        ...over,
      });
      opened.push(journal);
      await journal.open(AbortSignal.timeout(10_000));
      return journal;
    }

    it(
      'reads back what it appended, amounts and times exactly',
      async () => {
        const journal = await openJournal();
        const intent = makeOrder('alpha-1', 1, { price: null, type: 'MARKET', timeInForce: null });
        const acked = makeOrder('alpha-1', 2, {
          executedQty: '0.10000000',
          cumulativeQuote: '1e-8',
        });
        await journal.append(makeEntry(intent, 'INTENT'));
        await journal.append(makeEntry(acked, 'ACK'));
        expect(await journal.order('alpha-1')).toEqual(acked);
        expect(await journal.order('nobody-1')).toBeUndefined();
        expect(await journal.orders()).toEqual([acked]);
        expect(await journal.orders({ statuses: ['NEW'] })).toEqual([acked]);
        expect(await journal.orders({ statuses: ['FILLED'] })).toEqual([]);
        expect(await journal.events('alpha-1')).toEqual([
          {
            clientOrderId: 'alpha-1',
            version: 1,
            kind: 'INTENT',
            status: 'PENDING',
            at: intent.updatedAt,
            detail: { version: 1, note: 'v1' },
          },
          {
            clientOrderId: 'alpha-1',
            version: 2,
            kind: 'ACK',
            status: 'NEW',
            at: acked.updatedAt,
            detail: { version: 2, note: 'v2' },
          },
        ]);
      },
      HANG_GUARD_MS,
    );

    it(
      'ignores an entry appended twice and never lets a lower version win',
      async () => {
        const journal = await openJournal();
        const entries = [1, 2, 3].map((version) => makeEntry(makeOrder('beta-1', version)));
        for (const entry of entries) await journal.append(entry);
        await journal.append(entries[1]!);
        await journal.append(entries[2]!);
        await journal.append(makeEntry(makeOrder('beta-1', 2, { status: 'CANCELED' })));
        expect((await journal.order('beta-1'))?.version).toBe(3);
        expect((await journal.order('beta-1'))?.status).toBe('NEW');
        expect((await journal.events('beta-1')).map((event) => event.version)).toEqual([1, 2, 3]);
      },
      HANG_GUARD_MS,
    );

    it(
      'group-commits many concurrent appends, several versions of one order per batch',
      async () => {
        const journal = await openJournal();
        const entries: JournalEntry[] = [];
        for (let version = 1; version <= 20; version += 1) {
          for (let order = 1; order <= 50; order += 1) {
            entries.push(makeEntry(makeOrder(`gamma-${order}`, version)));
          }
        }
        await Promise.all(entries.map((entry) => journal.append(entry)));
        const status = journal.status();
        expect(status).toMatchObject({
          mode: 'direct',
          committed: 1000,
          pendingWrites: 0,
          spoolDepth: 0,
        });
        // Group commit: a handful of statements, not one per entry.
        expect(status.batches).toBeLessThanOrEqual(10);
        const orders = await journal.orders();
        expect(orders).toHaveLength(50);
        expect(orders.every((order) => order.version === 20)).toBe(true);
        expect(await journal.events('gamma-7')).toHaveLength(20);
      },
      HANG_GUARD_MS,
    );

    it(
      'reports the last sequence number per strategy, split at the last dash',
      async () => {
        const journal = await openJournal();
        for (const id of [
          'alpha-1',
          'alpha-12',
          'alpha-3',
          'mean-rev-2-7',
          'mean-rev-2-40',
          'odd',
        ]) {
          await journal.append(makeEntry(makeOrder(id, 1)));
        }
        expect(await journal.lastSequences()).toEqual(
          new Map([
            ['alpha', 12],
            ['mean-rev-2', 40],
          ]),
        );
      },
      HANG_GUARD_MS,
    );

    it(
      're-runs migrations safely',
      async () => {
        const first = await openJournal();
        await first.append(makeEntry(makeOrder('delta-1', 1)));
        await openJournal();
        const client = new pg.Client({ connectionString: database.url, query_timeout: 5_000 });
        client.on('error', () => undefined);
        await client.connect();
        try {
          expect(await migrate(client)).toEqual([]);
          const { rows } = await client.query('select version from schema_migrations order by 1');
          expect(rows.map((row: { version: number }) => row.version)).toEqual(
            MIGRATIONS.map((m) => m.version),
          );
        } finally {
          await client.end();
        }
        expect((await first.order('delta-1'))?.version).toBe(1);
      },
      HANG_GUARD_MS,
    );

    it(
      'keeps its data across close and reopen',
      async () => {
        const journal = await openJournal();
        await journal.append(makeEntry(makeOrder('eps-5', 1)));
        await journal.append(makeEntry(makeOrder('eps-5', 2)));
        await journal.close();
        await expect(journal.append(makeEntry(makeOrder('eps-5', 3)))).rejects.toMatchObject({
          code: 'CLOSED',
        });
        const reopened = await openJournal();
        expect((await reopened.order('eps-5'))?.version).toBe(2);
        expect(await reopened.lastSequences()).toEqual(new Map([['eps', 5]]));
      },
      HANG_GUARD_MS,
    );

    it(
      'replaces the balance baseline as a whole',
      async () => {
        const journal = await openJournal();
        expect(await journal.balanceBaseline()).toBeUndefined();
        const first = { at: 1_000, balances: { BTC: '10', USDT: '1000000.5' } };
        await journal.recordBalanceBaseline(first);
        expect(await journal.balanceBaseline()).toEqual(first);
        const later = { at: 2_000, balances: { ETH: '3' } };
        await journal.recordBalanceBaseline(later);
        expect(await journal.balanceBaseline()).toEqual(later);
      },
      HANG_GUARD_MS,
    );
  });
}

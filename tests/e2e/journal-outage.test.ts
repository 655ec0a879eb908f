import { copyFile, appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Proxy } from '../../src/proxy/proxy.js';
import { parseProxySpec, parseToxicSpec } from '../../src/proxy/specs.js';
import {
  createPgJournal,
  EMBEDDED_POOL_SIZE,
  startEmbeddedDatabase,
  type EmbeddedDatabase,
  type Journal,
  type JournalEntry,
} from '../../src/journal/index.js';
import { HANG_GUARD_MS, makeEntry, makeOrder, resetDatabase } from '../support/journal-contract.js';

/**
 * Database outages on the wire: the journal talks to PGlite through the
 * product's fault proxy, which resets or refuses its connections.
 */

let database: EmbeddedDatabase;
let proxy: Proxy;
let spoolDir: string;
let spoolPath: string;
const journals: Journal[] = [];

beforeAll(async () => {
  database = await startEmbeddedDatabase();
  proxy = await Proxy.create(
    parseProxySpec({
      name: 'database',
      listen: '127.0.0.1:0',
      upstream: `${database.host}:${database.port}`,
    }),
  );
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await database?.close();
});
beforeEach(async () => {
  await resetDatabase(database.url);
  spoolDir = await mkdtemp(join(tmpdir(), 'n1v1-outage-'));
  spoolPath = join(spoolDir, 'journal.spool');
});
afterEach(async () => {
  proxy.removeAllToxics();
  await proxy.update({ enabled: true });
  await Promise.all(journals.splice(0).map((journal) => journal.close()));
  await rm(spoolDir, { recursive: true, force: true });
});

function journalViaProxy(): Journal {
  const journal = createPgJournal({
    connectionString: `postgres://postgres@${proxy.spec.listen}/postgres`,
    poolSize: EMBEDDED_POOL_SIZE,
    spoolPath,
    queryTimeoutMs: 1_000,
    connectTimeoutMs: 1_000,
    halfOpenAfterMs: 300,
    probeIntervalMs: 100,
  });
  journals.push(journal);
  return journal;
}

/** Entry n of a run: 10 orders, versions rising, in the order they are appended. */
function entryNumber(n: number): JournalEntry {
  return makeEntry(makeOrder(`omega-${n % 10}`, Math.floor(n / 10) + 1));
}

/** (client order id, version) of every event, in insertion order, straight from the database. */
async function storedEvents(): Promise<string[]> {
  const client = new pg.Client({ connectionString: database.url, query_timeout: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `select client_order_id || '@' || version as id from order_events order by seq`,
    );
    return rows.map((row) => row.id);
  } finally {
    await client.end();
  }
}

const key = (entry: JournalEntry) => `${entry.order.clientOrderId}@${entry.order.version}`;

describe.each([
  [
    'reset_peer',
    () => proxy.addToxic(parseToxicSpec({ type: 'reset_peer', attributes: { timeout: 0 } })),
  ],
  ['a disabled proxy', () => proxy.update({ enabled: false })],
] as const)('journal outage under %s', (_name, breakDatabase) => {
  it(
    'spools while down, drains within ~2 s of the heal, stores every entry once, in order',
    async () => {
      const journal = journalViaProxy();
      await journal.open(AbortSignal.timeout(10_000));
      const started: unknown[] = [];
      journal.on('spoolStarted', (event) => started.push(event));
      const entries = Array.from({ length: 90 }, (_, n) => entryNumber(n));
      for (const entry of entries.slice(0, 30)) await journal.append(entry);

      await breakDatabase();
      // Appends keep resolving while the database is unreachable: the spool holds them.
      for (const entry of entries.slice(30, 45)) await journal.append(entry);
      await Promise.all(entries.slice(45, 60).map((entry) => journal.append(entry)));
      expect(started).toHaveLength(1);
      expect(journal.status()).toMatchObject({
        mode: 'spooling',
        spoolDepth: 30,
        pendingWrites: 0,
      });
      await expect(journal.orders()).rejects.toThrow();

      const drained = new Promise<{ replayed: number }>((resolve) =>
        journal.on('spoolDrained', resolve),
      );
      const healedAt = Date.now();
      proxy.removeAllToxics();
      await proxy.update({ enabled: true });
      const event = await drained;
      // Half-open after 300 ms, probes 100 ms apart: well under 2 s; the margin is for a busy CI box.
      expect(Date.now() - healedAt).toBeLessThan(3_000);
      expect(event.replayed).toBe(30);
      expect(journal.status()).toMatchObject({ mode: 'direct', spoolDepth: 0, breaker: 'closed' });

      await Promise.all(entries.slice(60).map((entry) => journal.append(entry)));
      expect(await storedEvents()).toEqual(entries.map(key));
      expect((await journal.order('omega-3'))?.version).toBe(9);
    },
    HANG_GUARD_MS,
  );
});

describe('a spool left behind by a crash', () => {
  it(
    'is replayed by the next open(), and replaying it twice changes nothing',
    async () => {
      const crashed = journalViaProxy();
      await crashed.open(AbortSignal.timeout(10_000));
      const entries = Array.from({ length: 40 }, (_, n) => entryNumber(n));
      await proxy.update({ enabled: false });
      await Promise.all(entries.map((entry) => crashed.append(entry)));
      // close() with the database down tries one replay, fails, and leaves the spool as a crash would.
      await crashed.close();
      const leftover = join(spoolDir, 'leftover.spool');
      await copyFile(spoolPath, leftover);
      // A crash mid-append tears the last line.
      await appendFile(spoolPath, '{"kind":"STATUS","order":{"clientOr');

      await proxy.update({ enabled: true });
      const next = journalViaProxy();
      await next.open(AbortSignal.timeout(10_000));
      expect(next.status()).toMatchObject({ mode: 'direct', spoolDepth: 0, replayed: 40 });
      expect(await storedEvents()).toEqual(entries.map(key));
      const orders = await next.orders();
      await next.close();

      await copyFile(leftover, spoolPath);
      const again = journalViaProxy();
      await again.open(AbortSignal.timeout(10_000));
      expect(again.status()).toMatchObject({ spoolDepth: 0, replayed: 40 });
      expect(await storedEvents()).toEqual(entries.map(key));
      expect(await again.orders()).toEqual(orders);
    },
    HANG_GUARD_MS,
  );
});

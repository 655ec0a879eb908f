import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPgJournal,
  EMBEDDED_POOL_SIZE,
  startEmbeddedDatabase,
  type EmbeddedDatabase,
  type JournalEntry,
} from '../../src/journal/index.js';
import { HANG_GUARD_MS, makeEntry, makeOrder } from '../support/journal-contract.js';

/**
 * pglite-socket interleaves the protocol messages of different connections,
 * so a journal on the embedded database uses one connection. This proves that
 * setup holds under the load that breaks several connections: many
 * concurrent appends with large parameters (each statement spans several TCP
 * chunks), small batches (many statements), and reads racing the writes.
 */

let database: EmbeddedDatabase;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'n1v1-embedded-'));
  database = await startEmbeddedDatabase({ dataDir: join(dir, 'data') });
}, 60_000);
afterAll(async () => {
  await database?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the embedded database', () => {
  it('serves a url for pg on an ephemeral loopback port', () => {
    expect(database.url).toBe(`postgres://postgres@127.0.0.1:${database.port}/postgres`);
    expect(database.port).toBeGreaterThan(0);
  });

  it(
    'answers every statement right on one connection, where several connections mix them up',
    async () => {
      // This workload, on a pool of 4, made a Bind land on another client's Parse
      // ("invalid input syntax for type integer") when we measured; on 1 it never does.
      const pool = new pg.Pool({
        connectionString: database.url,
        max: EMBEDDED_POOL_SIZE,
        query_timeout: 10_000,
      });
      pool.on('error', () => undefined);
      try {
        const answers = await Promise.all(
          Array.from({ length: 60 }, async (_, i) => {
            const big = 'y'.repeat(100_000 + i);
            const { rows } =
              i % 2
                ? await pool.query(`select $1::int as n, length($2::text) as l, ${i} as k`, [
                    i,
                    big,
                  ])
                : await pool.query(`select length($1::text) as l, $2::int as n, ${i} as k`, [
                    big,
                    i,
                  ]);
            return rows[0];
          }),
        );
        expect(answers).toEqual(answers.map((_, i) => ({ n: i, l: 100_000 + i, k: i })));
      } finally {
        await pool.end();
      }
    },
    HANG_GUARD_MS,
  );

  it(
    'keeps every write intact under concurrent appends and reads on one connection',
    async () => {
      const journal = createPgJournal({
        connectionString: database.url,
        poolSize: EMBEDDED_POOL_SIZE,
        spoolPath: join(dir, 'journal.spool'),
        maxBatchEntries: 4,
      });
      await journal.open(AbortSignal.timeout(10_000));
      try {
        const entries: JournalEntry[] = Array.from({ length: 60 }, (_, n) => ({
          ...makeEntry(makeOrder(`big-${n % 12}`, Math.floor(n / 12) + 1)),
          detail: { n, padding: String(n % 10).repeat(40_000 + n) },
        }));
        // Readers keep querying while the writer sends its multi-chunk statements.
        let writing = true;
        const reader = async (n: number): Promise<number> => {
          let reads = 0;
          for (; writing; reads += 1) {
            if (n % 2) await journal.orders({ statuses: ['NEW'] });
            else await journal.events(`big-${reads % 12}`);
          }
          return reads;
        };
        const readers = [0, 1, 2].map(reader);
        await Promise.all(entries.map((entry) => journal.append(entry)));
        writing = false;
        expect((await Promise.all(readers)).every((reads) => reads > 0)).toBe(true);
        expect(journal.status()).toMatchObject({ mode: 'direct', committed: 60, spooled: 0 });
        for (let id = 0; id < 12; id += 1) {
          const events = await journal.events(`big-${id}`);
          expect(events.map((event) => event.detail.n)).toEqual(
            [0, 1, 2, 3, 4].map((v) => v * 12 + id),
          );
          for (const event of events) {
            const n = event.detail.n as number;
            expect(event.detail.padding).toBe(String(n % 10).repeat(40_000 + n));
          }
        }
      } finally {
        await journal.close();
      }
    },
    HANG_GUARD_MS,
  );

  it('persists under dataDir across a restart', async () => {
    await database.close();
    database = await startEmbeddedDatabase({ dataDir: join(dir, 'data') });
    const journal = createPgJournal({
      connectionString: database.url,
      poolSize: EMBEDDED_POOL_SIZE,
      spoolPath: join(dir, 'journal.spool'),
    });
    await journal.open(AbortSignal.timeout(10_000));
    try {
      expect((await journal.orders()).length).toBe(12);
    } finally {
      await journal.close();
    }
  }, 60_000);
});

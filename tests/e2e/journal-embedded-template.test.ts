import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, startEmbeddedDatabase } from '../../src/journal/embedded.js';
import {
  defaultTemplatePath,
  readTemplateFile,
  TemplateCache,
  writeTemplateFile,
} from '../../src/journal/template.js';

/**
 * Embedded databases start from a cached initdb template instead of running
 * initdb each time. These prove the shortcut changes nothing a caller can see:
 * each database is new and empty, a data directory is still a real database,
 * and a bad cache file costs a rebuild, never a failure.
 */

const START_MS = 60_000;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'n1v1-template-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `fn` with a pg client on `url`, over the socket as the journal does. */
async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, query_timeout: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * pg_control's system identifier, set by initdb: databases loaded from one
 * template share it, so equal identifiers prove initdb did not run again.
 */
async function systemId(client: pg.Client): Promise<string> {
  const { rows } = await client.query(
    'select system_identifier::text as id from pg_control_system()',
  );
  return rows[0].id;
}

/** Names of the tables a user created, i.e. everything in schema public. */
async function userTables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    "select relname as name from pg_class where relnamespace = 'public'::regnamespace order by 1",
  );
  return rows.map((row) => row.name);
}

describe('embedded databases started from the template', () => {
  it(
    'are independent and empty, and fully usable over the socket',
    async () => {
      const first = await startEmbeddedDatabase();
      const second = await startEmbeddedDatabase();
      try {
        // The shared cache file exists now, so later processes skip initdb too.
        const path = defaultTemplatePath();
        if (path) expect(await readTemplateFile(path)).toBeDefined();
        const ids = new Set<string>();
        for (const [database, value] of [
          [first, 'one'],
          [second, 'two'],
        ] as const) {
          await withClient(database.url, async (client) => {
            ids.add(await systemId(client));
            expect(await userTables(client)).toEqual([]);
            await client.query('create table note (id int primary key, body text not null)');
            await client.query('insert into note values ($1, $2)', [1, value]);
          });
        }
        for (const [database, value] of [
          [first, 'one'],
          [second, 'two'],
        ] as const) {
          await withClient(database.url, async (client) => {
            const { rows } = await client.query('select id, body from note where id = $1', [1]);
            expect(rows).toEqual([{ id: 1, body: value }]);
          });
        }
        expect(ids.size).toBe(1);
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
      // Nothing written before leaks into a database started later.
      const third = await startEmbeddedDatabase();
      try {
        await withClient(third.url, async (client) => expect(await userTables(client)).toEqual([]));
      } finally {
        await third.close();
      }
    },
    START_MS,
  );

  it(
    'seeds a new dataDir as a complete copy that reopens with its data',
    async () => {
      const parent = join(dir, 'seeded');
      await mkdir(parent);
      // An existing empty directory counts as new, as it did for initdb.
      const dataDir = join(parent, 'db');
      await mkdir(dataDir);
      const memory = await startEmbeddedDatabase();
      const templateId = await withClient(memory.url, systemId).finally(() => memory.close());
      let database = await startEmbeddedDatabase({ dataDir });
      try {
        await withClient(database.url, async (client) => {
          expect(await systemId(client)).toBe(templateId);
          expect(await userTables(client)).toEqual([]);
          await client.query('create table kept (n int)');
          await client.query('insert into kept values ($1)', [42]);
        });
      } finally {
        await database.close();
      }
      // The staging directory was renamed into place, nothing is left beside it.
      expect(await readdir(parent)).toEqual(['db']);
      database = await startEmbeddedDatabase({ dataDir });
      try {
        await withClient(database.url, async (client) => {
          expect((await client.query('select n from kept')).rows).toEqual([{ n: 42 }]);
        });
      } finally {
        await database.close();
      }
    },
    START_MS,
  );
});

describe('the template cache file', () => {
  it('rejects missing, foreign, truncated and altered files', async () => {
    const path = join(dir, 'checks.bin');
    expect(await readTemplateFile(path)).toBeUndefined();
    await writeFile(path, 'not a template');
    expect(await readTemplateFile(path)).toBeUndefined();
    const tar = new Uint8Array(4096).map((_, i) => i % 251);
    await writeTemplateFile(path, tar);
    expect(Buffer.from((await readTemplateFile(path))!).equals(tar)).toBe(true);
    const whole = await readFile(path);
    await writeFile(path, whole.subarray(0, whole.length - 100));
    expect(await readTemplateFile(path)).toBeUndefined();
    const altered = Buffer.from(whole);
    const last = altered.length - 1;
    altered.writeUInt8(altered.readUInt8(last) ^ 0xff, last);
    await writeFile(path, altered);
    expect(await readTemplateFile(path)).toBeUndefined();
  });

  it('stays whole under concurrent writers, which leave no temporary files', async () => {
    const path = join(dir, 'race', 'template.bin');
    await mkdir(join(dir, 'race'));
    const payloads = Array.from({ length: 6 }, (_, n) => new Uint8Array(1 << 20).fill(n + 1));
    await Promise.all(payloads.map((tar) => writeTemplateFile(path, tar)));
    const stored = await readTemplateFile(path);
    expect(payloads.some((tar) => Buffer.from(tar).equals(Buffer.from(stored!)))).toBe(true);
    expect(await readdir(join(dir, 'race'))).toEqual(['template.bin']);
    // A cache that can't be written is skipped, not an error.
    await expect(writeTemplateFile(join(dir, 'missing', 'x.bin'), payloads[0]!)).resolves.toBe(
      undefined,
    );
  });

  it(
    'is rebuilt when corrupt, and the database starts anyway',
    async () => {
      const path = join(dir, 'corrupt.bin');
      await writeFile(path, Buffer.alloc(1 << 16, 0x5a));
      const cache = new TemplateCache(path);
      const db = await openDatabase(undefined, cache);
      try {
        expect((await db.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      } finally {
        await db.close();
      }
      const rebuilt = await readTemplateFile(path);
      expect(rebuilt?.length).toBeGreaterThan(1 << 20);
      // A new process (here: a new cache on the same file) uses the rebuilt file.
      const again = await openDatabase(undefined, new TemplateCache(path));
      await again.close();
    },
    START_MS,
  );
});

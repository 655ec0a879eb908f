import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { journalContract, type ContractDatabase } from '../support/journal-contract.js';

/**
 * The journal contract against a real PostgreSQL. Each run creates its own
 * database and drops it afterwards, so concurrent runs never collide.
 */
const adminUrl = process.env.N1V1_TEST_DATABASE_URL;

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, query_timeout: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function freshDatabase(): Promise<ContractDatabase> {
  const name = `n1v1_journal_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = new URL(adminUrl ?? '');
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    close: async () => {
      await admin((client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

describe.skipIf(adminUrl === undefined || adminUrl === '')(
  'PostgreSQL journal (skipped unless N1V1_TEST_DATABASE_URL names a server)',
  () => journalContract('PostgreSQL', freshDatabase),
);

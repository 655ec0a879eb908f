import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Proxy } from '../../src/proxy/proxy.js';
import { parseProxySpec, parseToxicSpec } from '../../src/proxy/specs.js';

/**
 * The database path of a chaos run: the real `pg` client, through a tcp-mode
 * proxy, to PGlite served on the Postgres wire protocol by pglite-socket.
 */

let db: PGlite;
let server: PGLiteSocketServer;
let proxy: Proxy;

beforeAll(async () => {
  db = await PGlite.create();
  server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 16 });
  await server.start();
  proxy = await Proxy.create(
    parseProxySpec({ name: 'database', listen: '127.0.0.1:0', upstream: server.getServerConn() }),
  );
});

afterAll(async () => {
  await proxy.close();
  await server.stop();
  await db.close();
});

function client(): pg.Client {
  const [host, port] = proxy.spec.listen.split(':');
  const c = new pg.Client({
    host,
    port: Number(port),
    user: 'postgres',
    database: 'postgres',
    connectionTimeoutMillis: 3_000,
    query_timeout: 3_000,
  });
  c.on('error', () => undefined);
  return c;
}

describe('Postgres through the proxy', () => {
  it('queries pass through a clean proxy', async () => {
    const c = client();
    await c.connect();
    const { rows } = await c.query<{ answer: number }>('select 41 + 1 as answer');
    expect(rows).toEqual([{ answer: 42 }]);
    await c.end();
    expect(proxy.stats.bytes.upstream).toBeGreaterThan(0);
  });

  it('reset_peer breaks an open connection the way a crashed database does', async () => {
    const c = client();
    await c.connect();
    await c.query('select 1');
    proxy.addToxic(parseToxicSpec({ type: 'reset_peer', attributes: { timeout: 0 } }));
    try {
      const failure = await c.query('select 2').then(
        () => undefined,
        (error: Error) => error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(failure?.message).toMatch(/terminated|ECONNRESET|Connection/i);
      // New connections are reset too, before the handshake completes.
      await expect(client().connect()).rejects.toThrow();
    } finally {
      proxy.removeAllToxics();
      await c.end().catch(() => undefined);
    }
    const healed = client();
    await healed.connect();
    expect((await healed.query('select 3 as n')).rows).toEqual([{ n: 3 }]);
    await healed.end();
  });

  it('a disabled proxy refuses connections like a database that is down', async () => {
    await proxy.update({ enabled: false });
    try {
      await expect(client().connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await proxy.update({ enabled: true });
    }
    const c = client();
    await c.connect();
    expect((await c.query('select 4 as n')).rows).toEqual([{ n: 4 }]);
    await c.end();
  });
});

import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * Pool size for a journal on the embedded database. pglite-socket runs one
 * PGlite backend and queues the protocol messages of all its connections one
 * by one; when a client's Parse/Bind/Execute/Sync arrive in more than one TCP
 * chunk (large parameters, or a proxy that re-chunks), another connection's
 * messages can land in between and bind to the wrong statement. We measured
 * it: 4 connections sending 100 kB parameters produce wrong-statement errors;
 * 1 connection never does. So the journal uses exactly one connection here.
 */
export const EMBEDDED_POOL_SIZE = 1;

/**
 * Connections the server accepts. Well above EMBEDDED_POOL_SIZE: after a reset
 * the server may not have noticed the old socket closing yet, and a refused
 * reconnect would turn a healed outage into a longer one.
 */
const EMBEDDED_MAX_CONNECTIONS = 16;

/** Options of startEmbeddedDatabase. */
export interface EmbeddedDatabaseOptions {
  /** Directory the database persists in; undefined keeps it in memory. */
  dataDir?: string;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port to listen on; 0 picks a free one. Default 0. */
  port?: number;
  /** Connections accepted at once. Default 16. */
  maxConnections?: number;
}

/** A running embedded database, reachable with `pg` at `url`. */
export interface EmbeddedDatabase {
  /** `postgres://postgres@HOST:PORT/postgres` */
  url: string;
  host: string;
  port: number;
  /** Stops listening, drops every connection and closes the database. */
  close(): Promise<void>;
}

/**
 * PGlite served on the Postgres wire protocol, so the engine talks TCP via pg
 * to it as to any PostgreSQL and a database outage is a real socket fault.
 * Give journals on it `poolSize: EMBEDDED_POOL_SIZE`.
 */
export async function startEmbeddedDatabase(
  options: EmbeddedDatabaseOptions = {},
): Promise<EmbeddedDatabase> {
  const host = options.host ?? '127.0.0.1';
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({
    db,
    host,
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? EMBEDDED_MAX_CONNECTIONS,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const port = Number(server.getServerConn().split(':').pop());
  const authority = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `postgres://postgres@${authority}:${port}/postgres`,
    host,
    port,
    close: () =>
      (closed ??= (async () => {
        await server.stop();
        await db.close();
      })()),
  };
}

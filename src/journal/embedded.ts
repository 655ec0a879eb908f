import { mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { sharedTemplate, type TemplateCache } from './template.js';

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
  const db = await openDatabase(options.dataDir);
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

/**
 * Opens PGlite without running initdb where it can: an in-memory database
 * loads the shared template (see template.ts), a new data directory is seeded
 * from it. Any failure along the fast path falls back to plain PGlite, which
 * is slow but what the template is a copy of.
 */
export async function openDatabase(
  dataDir: string | undefined,
  template: TemplateCache = sharedTemplate,
): Promise<PGlite> {
  if (dataDir === undefined) {
    const tarball = await template.tarball().catch(() => undefined);
    if (tarball) {
      try {
        return await PGlite.create({ loadDataDir: tarball });
      } catch {
        // A template PGlite can't load is useless to every later start too.
        await template.discard();
      }
    }
    return PGlite.create();
  }
  // Only plain paths: a URL-style dataDir (memory://, file://) is PGlite's business.
  if (!dataDir.includes('://') && (await isAbsentOrEmpty(dataDir))) {
    await seedDataDir(dataDir, template).catch(() => undefined);
  }
  return PGlite.create(dataDir);
}

/**
 * Puts a copy of the template at `dataDir` as a whole or not at all: PGlite
 * writes it into a sibling staging directory (same filesystem), shuts down
 * cleanly, and the directory is renamed into place. A crash mid-copy leaves
 * only a stray staging directory, never a half-written database that a later
 * start would take for a real one. If another process seeded `dataDir` first,
 * the rename fails and its copy is used.
 */
async function seedDataDir(dataDir: string, template: TemplateCache): Promise<void> {
  const tarball = await template.tarball();
  const staging = await mkdtemp(`${resolve(dataDir)}.seed-`);
  try {
    const db = await PGlite.create(staging, { loadDataDir: tarball });
    await db.close();
    await rename(staging, dataDir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** True when there is nothing at `dir` yet, so seeding can't overwrite data. */
async function isAbsentOrEmpty(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * A fresh PGlite runs initdb inside WASM: 5-13 s on a 2-core machine, for
 * every in-memory database and every new data directory. The data directory
 * initdb produces is the same every time for one PGlite version, so we build
 * it once, keep its tarball (uncompressed tar, 40 MB) in memory for the process
 * and in a file under os.tmpdir() for later processes, and start databases
 * from it with `loadDataDir`: about 0.7 s instead. This is the mechanism
 * PGlite itself uses to put initdb's output into a nodefs data directory, and
 * what its `clone()` and the pglite-prepopulatedfs package do.
 */

/** Bumped when the template's contents or the file layout change. */
const FORMAT = 1;
/** File layout: MAGIC, sha256 of the tar, the tar. */
const MAGIC = Buffer.from(`N1V1PGT${FORMAT}`, 'latin1');
const DIGEST_BYTES = 32;

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/**
 * The installed PGlite version, or undefined if it can't be read. The template
 * is only valid for the version that wrote it, so the cache file is keyed by
 * it; without a version we don't share a file at all.
 */
function pgliteVersion(): string | undefined {
  try {
    // package.json is not in the package's exports map: walk up from the entry.
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'));
    const version: unknown = manifest?.version;
    return typeof version === 'string' && /^[\w.+-]+$/.test(version) ? version : undefined;
  } catch {
    return undefined;
  }
}

/** Where processes share the template, or undefined when the version is unknown. */
export function defaultTemplatePath(): string | undefined {
  const version = pgliteVersion();
  return version && join(tmpdir(), `n1v1-pglite-${version}-template-v${FORMAT}.bin`);
}

/**
 * The tar stored at `path`, or undefined when the file is missing, partial or
 * corrupt: the checksum covers every byte, so a torn or foreign file is never
 * handed to PGlite (a bad tar could start a broken database, not just fail).
 */
export async function readTemplateFile(path: string): Promise<Uint8Array | undefined> {
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch {
    return undefined;
  }
  const head = MAGIC.length + DIGEST_BYTES;
  if (file.length <= head || !file.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const tar = file.subarray(head);
  return sha256(tar).equals(file.subarray(MAGIC.length, head)) ? tar : undefined;
}

/**
 * Stores `tar` at `path` atomically: concurrent processes each write their own
 * temporary file and rename it over `path`, so a reader sees a whole file from
 * one writer or none. Best effort: a cache that can't be written only costs
 * the next process a rebuild.
 */
export async function writeTemplateFile(path: string, tar: Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, Buffer.concat([MAGIC, sha256(tar), tar]), { flag: 'wx' });
    await rename(temporary, path);
  } catch {
    await rm(temporary, { force: true }).catch(() => undefined);
  }
}

/** Runs initdb once in a throwaway PGlite and returns its data directory as a tar. */
export async function buildTemplate(): Promise<Uint8Array> {
  const db = await PGlite.create();
  try {
    // Flush everything to the data files: the dump is taken from a running
    // server, so a database loaded from it replays the WAL since the last
    // checkpoint; after this that is a few records.
    await db.exec('CHECKPOINT');
    return new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer());
  } finally {
    await db.close();
  }
}

/** Source of the template tarball: memory, then the cache file, then initdb. */
export class TemplateCache {
  #tarball: Promise<Blob> | undefined;

  /** @param path cache file shared between processes; undefined for memory only */
  constructor(readonly path: string | undefined) {}

  /**
   * The data directory of a freshly initialised, empty database as a tar Blob
   * for `PGlite.create({ loadDataDir })`. Concurrent callers share one build;
   * a failed build is not remembered, so the next call tries again.
   */
  tarball(): Promise<Blob> {
    this.#tarball ??= this.#load().catch((error: unknown) => {
      this.#tarball = undefined;
      throw error;
    });
    return this.#tarball;
  }

  /** Drops the template from memory and the cache file: PGlite could not load it. */
  async discard(): Promise<void> {
    this.#tarball = undefined;
    if (this.path !== undefined) await rm(this.path, { force: true }).catch(() => undefined);
  }

  async #load(): Promise<Blob> {
    const cached = this.path === undefined ? undefined : await readTemplateFile(this.path);
    if (cached) return new Blob([cached]);
    const tar = await buildTemplate();
    if (this.path !== undefined) await writeTemplateFile(this.path, tar);
    return new Blob([tar]);
  }
}

/** The template every embedded database in this process starts from. */
export const sharedTemplate = new TemplateCache(defaultTemplatePath());

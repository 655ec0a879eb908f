import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { ReportFileError } from '../report/index.js';
import { UsageError } from './usage-error.js';

/** What the long-running commands (chaos, load) share: signals, the database, output places. */

/**
 * The first SIGINT/SIGTERM aborts the run, which then cleans up after itself
 * (faults off, engine stopped), writes what it has and exits 130. A second one exits
 * at once (the engines, child processes, go with their parent).
 */
export function interruptOn(
  controller: AbortController,
  say: (text: string) => void,
  whatHappens: string,
): { dispose(): void } {
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    say(`${signal}: ${whatHappens} (again to quit now)`);
    controller.abort(new Error(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** `DATABASE_URL` when set: a real PostgreSQL for every stack's journal. */
export function databaseUrlFromEnv(): string | undefined {
  const text = process.env['DATABASE_URL'];
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('DATABASE_URL is not a URL; expected postgres://user@host:port/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new UsageError(`DATABASE_URL must be a postgres:// URL, got ${url.protocol}//…`);
  }
  return text;
}

/** Creates the directory if need be and checks it takes files. */
export async function writableDirectory(dir: string, flag: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(`${flag} ${dir}: cannot write there (${code})`);
  }
}

/**
 * Reads what a results path holds, a chaos run directory or a load results
 * file, with the reader for its kind. A missing path (said as `missing`) or
 * a missing or malformed file (named by the reader) is bad input: exit 2.
 */
export async function readResults<T>(
  path: string,
  read: { chaos: (dir: string) => Promise<T>; load: (file: string) => Promise<T> },
  missing: (error: NodeJS.ErrnoException) => string,
): Promise<T> {
  const kind = await stat(path).then(
    (found) => (found.isDirectory() ? 'chaos' : 'load'),
    (error: NodeJS.ErrnoException) => {
      throw new UsageError(`${path}: ${missing(error)}`);
    },
  );
  try {
    return await read[kind](path);
  } catch (error) {
    if (error instanceof ReportFileError) throw new UsageError(error.message);
    throw error;
  }
}

/** One JSON line on stdout: the machine-readable lines of the long-running commands. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

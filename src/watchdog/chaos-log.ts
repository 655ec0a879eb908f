import { join } from 'node:path';
import { pino } from 'pino';
import { isJsonObject } from '../common/index.js';
import { orderChaosEvent, validateChaosEvent } from './chaos-event.js';
import type { ChaosEvent } from './model.js';

/** The marker `grep CHAOS_EVENT logs/*.log` finds (SPEC §5). */
export const CHAOS_EVENT_MARKER = 'CHAOS_EVENT: ';
/** Key of the structured copy of the event on each pino line. */
export const CHAOS_EVENT_KEY = 'chaos_event';

export interface ChaosLogOptions {
  /** Directory of the log files, created if missing. Default `logs`. */
  dir?: string;
  /** Names the file `<dir>/<runId>.log` and is bound to every line. */
  runId: string;
  /** Clock of the pino `time` field, ms since the epoch. Default Date.now. */
  now?: () => number;
}

/** An open CHAOS_EVENT log file. */
export interface ChaosLog {
  /** The file's path. */
  readonly path: string;
  /** Appends one event as one line; throws on an invalid event or after close(). */
  write(event: ChaosEvent): void;
  /** Resolves once everything written is in the file. */
  flush(): Promise<void>;
  /** Flushes and closes the file; later calls resolve at once. */
  close(): Promise<void>;
}

/**
 * Opens `<dir>/<runId>.log` for CHAOS_EVENT lines. Each line is a pino JSON
 * record whose `msg` is `CHAOS_EVENT: {json}` (fields in SPEC order), so
 * grep finds it, and whose `chaos_event` field holds the same event, so log
 * pipelines read it without parsing a string. Writes are synchronous: the
 * events that explain a crash must not die in a buffer with the process.
 */
export function openChaosLog(options: ChaosLogOptions): ChaosLog {
  const path = join(options.dir ?? 'logs', `${options.runId}.log`);
  const now = options.now ?? Date.now;
  const destination = pino.destination({ dest: path, sync: true, mkdir: true, append: true });
  const logger = pino(
    {
      base: { runId: options.runId },
      timestamp: () => `,"time":"${new Date(now()).toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  let closing: Promise<void> | undefined;

  const flush = (): Promise<void> =>
    new Promise((resolve, reject) => logger.flush((error) => (error ? reject(error) : resolve())));

  return {
    path,
    write(event) {
      if (closing) throw new Error(`chaos log ${path} is closed`);
      const problems = validateChaosEvent(event);
      if (problems.length > 0) throw new TypeError(`invalid CHAOS_EVENT: ${problems.join('; ')}`);
      const ordered = orderChaosEvent(event);
      logger.info({ [CHAOS_EVENT_KEY]: ordered }, CHAOS_EVENT_MARKER + JSON.stringify(ordered));
    },
    flush: () => (closing ? closing : flush()),
    close() {
      closing ??= flush().then(
        () =>
          new Promise<void>((resolve) => {
            destination.once('close', () => resolve());
            destination.end();
          }),
      );
      return closing;
    },
  };
}

/**
 * The CHAOS_EVENT records of a log's text, in order. Reads our pino lines
 * (the structured field) and plain `… CHAOS_EVENT: {json}` lines alike;
 * lines without the marker are skipped. Throws on a marked line whose JSON
 * does not parse, since a half-written event is a finding, not noise.
 * Records are returned as found: check them with validateChaosEvent().
 */
export function parseChaosLog(text: string): ChaosEvent[] {
  const events: ChaosEvent[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.includes('CHAOS_EVENT')) return;
    const event = fromPinoLine(line) ?? fromPlainLine(line);
    if (event === undefined) throw new SyntaxError(`line ${index + 1}: unreadable CHAOS_EVENT`);
    events.push(event);
  });
  return events;
}

function fromPinoLine(line: string): ChaosEvent | undefined {
  const record = tryParse(line);
  if (!isJsonObject(record)) return undefined;
  const event = record[CHAOS_EVENT_KEY];
  return isJsonObject(event) ? (event as unknown as ChaosEvent) : undefined;
}

function fromPlainLine(line: string): ChaosEvent | undefined {
  const start = line.indexOf(CHAOS_EVENT_MARKER);
  if (start < 0) return undefined;
  const event = tryParse(line.slice(start + CHAOS_EVENT_MARKER.length));
  return isJsonObject(event) ? (event as unknown as ChaosEvent) : undefined;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

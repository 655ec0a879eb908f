import { InvalidArgumentError, type Command } from 'commander';
import type { TargetConfig } from '../chaos/index.js';
import {
  EXTERNAL_DEFAULTS,
  externalProcess,
  type AttachedTargetOptions,
  type SystemStarter,
} from '../sut/index.js';
import { integerIn, numberIn } from './parsers.js';
import { UsageError } from './usage-error.js';

/** The --target-* flags of `n1v1 chaos`: which system is under test, and how it is run and judged. */
export interface TargetFlags {
  targetCommand?: string;
  targetReady?: RegExp;
  targetHealth?: string;
  targetReadyTimeout?: number;
  targetGrace?: number;
  targetIntents?: boolean;
  targetExpectFlat?: boolean;
  targetExternal?: boolean;
  exchangePort?: number;
  databasePort?: number;
  host?: string;
}

/** Adds the --target-* flags (and the ports a shared world listens on) to a command. */
export function withTargetOptions(command: Command): Command {
  return command
    .option(
      '--target-command <cmd>',
      'run your bot (a shell command) as the system under test instead of the built-in engine, once per scenario',
    )
    .option(
      '--target-ready <regex>',
      'the bot is ready when a line of its output matches (default: its first authenticated request)',
      regExp,
    )
    .option('--target-health <url>', 'the bot is ready when this URL answers 2xx', httpUrl)
    .option(
      '--target-ready-timeout <seconds>',
      `longest wait for the bot to be ready (default ${EXTERNAL_DEFAULTS.readyTimeoutSeconds})`,
      numberIn(1, 3600),
    )
    .option(
      '--target-grace <seconds>',
      `between SIGTERM and SIGKILL of the bot's process group (default ${EXTERNAL_DEFAULTS.graceSeconds})`,
      numberIn(0, 600),
    )
    .option('--target-intents', 'the bot must report its intents in N1V1_INTENTS_FILE')
    .option('--target-expect-flat', 'orders left resting at the venue after the bot stopped fail')
    .option(
      '--target-external',
      'run no process: serve one world on --exchange-port/--database-port for a bot started elsewhere, and run the scenarios on it',
    )
    .option(
      '--exchange-port <port>',
      'with --target-external: the exchange proxy listens here',
      integerIn(1, 65535),
    )
    .option(
      '--host <address>',
      'with --target-external: where the proxies listen (default 127.0.0.1; another address opens them to that network)',
    )
    .option(
      '--database-port <port>',
      'with --target-external: the database proxy listens here',
      integerIn(1, 65535),
    );
}

/** How the chosen system is run, from the flags over a scenario file's `target:`. */
export type TargetChoice = { expectFlat: boolean } & (
  | { kind: 'builtin' }
  /** The bot, run by this tool once per scenario on a fresh world. */
  | { kind: 'process'; command: string; starter: SystemStarter }
  /** A bot started elsewhere, on one world shared by every scenario. */
  | { kind: 'attached'; options: Omit<AttachedTargetOptions, 'files'> }
);

/**
 * Checks the flags against each other and merges them over the file's
 * target (flags win). Every contradiction is bad usage, said in one line.
 */
export function chooseTarget(flags: TargetFlags, file: TargetConfig | undefined): TargetChoice {
  if (flags.targetCommand !== undefined && flags.targetExternal) {
    throw new UsageError(
      '--target-command and --target-external exclude each other: run the bot, or attach to one',
    );
  }
  const command = flags.targetExternal ? undefined : (flags.targetCommand ?? file?.command);
  const external = flags.targetExternal === true;
  const ports = [flags.exchangePort, flags.databasePort, flags.host];
  if (!external && ports.some((value) => value !== undefined)) {
    throw new UsageError(
      '--exchange-port, --database-port and --host need --target-external (fresh worlds listen on free loopback ports)',
    );
  }
  const runOnly = [
    ['--target-ready', flags.targetReady],
    ['--target-health', flags.targetHealth],
    ['--target-grace', flags.targetGrace],
  ] as const;
  const anyTarget = [
    ...runOnly,
    ['--target-intents', flags.targetIntents],
    ['--target-expect-flat', flags.targetExpectFlat],
    ['--target-ready-timeout', flags.targetReadyTimeout],
  ] as const;
  if (command === undefined && !external) {
    const stray = anyTarget.find(([, value]) => value !== undefined);
    if (stray)
      throw new UsageError(
        `${stray[0]} needs --target-command (or target: in a --scenario-file) or --target-external`,
      );
  }
  if (external) {
    const stray = runOnly.find(([, value]) => value !== undefined);
    if (stray)
      throw new UsageError(
        `${stray[0]} is for a bot this tool runs; with --target-external it waits for the bot's first authenticated request`,
      );
  }
  const readyPattern = flags.targetReady ?? fileReady(file);
  const healthUrl = flags.targetHealth ?? file?.healthUrl;
  if (readyPattern !== undefined && healthUrl !== undefined) {
    throw new UsageError(
      'the bot is ready by one sign: --target-ready (a line of its output) or --target-health (a URL), not both',
    );
  }
  const readyTimeoutSeconds = flags.targetReadyTimeout ?? file?.readyTimeoutSeconds;
  const intentsRequired = flags.targetIntents ?? file?.intents ?? false;
  const expectFlat = flags.targetExpectFlat ?? file?.expectFlat ?? false;
  if (external) {
    return { kind: 'attached', expectFlat, options: { readyTimeoutSeconds, intentsRequired } };
  }
  if (command === undefined) return { kind: 'builtin', expectFlat };
  const starter = externalProcess({
    command,
    readyPattern,
    healthUrl,
    readyTimeoutSeconds,
    graceSeconds: flags.targetGrace ?? file?.graceSeconds,
    intentsRequired,
  });
  return { kind: 'process', command, expectFlat, starter };
}

/** The file's `ready:` (validated as a regular expression when the file was read). */
function fileReady(file: TargetConfig | undefined): RegExp | undefined {
  return file?.readyPattern === undefined ? undefined : new RegExp(file.readyPattern);
}

function regExp(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (error) {
    throw new InvalidArgumentError(`not a valid regular expression: ${(error as Error).message}.`);
  }
}

function httpUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError(`expected an http:// URL, got "${text}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`expected an http:// URL, got "${text}".`);
  }
  return text;
}

import { join } from 'node:path';
import { messageOf } from '../common/index.js';
import { createWorld, type World } from '../stack/index.js';
import {
  attachedTarget,
  exportLines,
  targetEnvironment,
  targetFiles,
  type AttachedTargetOptions,
  type SystemStarter,
  type TargetFiles,
} from '../sut/index.js';
import type { TargetChoice } from './target-options.js';
import { UsageError } from './usage-error.js';

/** What a world for a bot started elsewhere is served with. */
export interface ServedWorldOptions {
  seed: number;
  databaseUrl: string | undefined;
  exchangePort?: number;
  databasePort?: number;
  /** Where the proxies listen; default 127.0.0.1. */
  host?: string;
  /** The bot's files (intents, phase) and the evidence go here, kept after the world closes. */
  runDir: string;
}

/** A world serving a bot that runs elsewhere, and the env block that bot needs. */
export interface ServedWorld {
  world: World;
  files: TargetFiles;
  env: Record<string, string>;
}

/**
 * Serves one world on the ports asked for (free ones by default) with the
 * files a bot shares with the runner; a port already taken is bad usage.
 */
export async function serveWorld(
  options: ServedWorldOptions,
  scenario: string,
): Promise<ServedWorld> {
  let world: World;
  try {
    world = await createWorld({
      seed: options.seed,
      databaseUrl: options.databaseUrl,
      ports: { exchange: options.exchangePort, database: options.databasePort },
      host: options.host,
      evidenceDir: join(options.runDir, 'evidence'),
    });
  } catch (error) {
    // A port taken or an address not this machine's is the usual cause; it is said as it is.
    throw new UsageError(`cannot serve the world: ${messageOf(error)}`);
  }
  try {
    const files = await targetFiles(options.runDir);
    return { world, files, env: targetEnvironment(world, files, scenario) };
  } catch (error) {
    await world.close();
    throw error;
  }
}

/** The env block as a person pastes it into the shell that starts the bot. */
export function envBlock(served: ServedWorld): string {
  return `# the environment of your bot (paste into its shell):\n${exportLines(served.env)}\n`;
}

/**
 * `n1v1 chaos --target-external`: one world on the named ports, its env block
 * printed, and the system the suite runs every scenario against: whatever
 * bot connects to it.
 */
export async function attachWorld(
  flags: { exchangePort?: number; databasePort?: number; host?: string },
  world: Omit<ServedWorldOptions, 'exchangePort' | 'databasePort' | 'host'>,
  options: Omit<AttachedTargetOptions, 'files'>,
  say: (text: string) => void,
): Promise<{ world: World; starter: SystemStarter }> {
  const served = await serveWorld({ ...world, ...flags }, 'external');
  process.stdout.write(envBlock(served));
  say(
    `waiting for your bot's first authenticated request on ${served.world.endpoints.exchangeProxy} ` +
      `(N1V1_SCENARIO stays "external"; ${served.files.phaseFile} holds the phase; ` +
      `its files and the evidence stay in ${served.files.runDir})`,
  );
  return { world: served.world, starter: attachedTarget({ ...options, files: served.files }) };
}

/** The target in a run's header line. */
export function describeTarget(target: TargetChoice): string {
  if (target.kind === 'process') return `"${target.command}"`;
  if (target.kind === 'attached') return 'external (attached)';
  return 'built-in engine';
}

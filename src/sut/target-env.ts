import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ccxtBinanceConfig } from '../engine/index.js';
import type { World } from '../stack/index.js';

/** Files a bot shares with the runner. */
export interface TargetFiles {
  /** Where a bot appends one JSON line per order it means to place, before placing it. */
  intentsFile: string;
  /** Holds the current phase: baseline, chaos, recovery or verify. */
  phaseFile: string;
  /** The bot's own directory for the run. */
  runDir: string;
}

/**
 * The environment a bot gets: everything it needs to trade in the world, and
 * nothing of the runner's own. Endpoints are the proxies', never the
 * simulator's or the database's own, so every fault reaches it.
 */
export function targetEnvironment(
  world: World,
  files: TargetFiles,
  scenario: string,
): Record<string, string> {
  const { endpoints, account } = world;
  return {
    N1V1_EXCHANGE_URL: endpoints.exchangeProxy,
    N1V1_API_KEY: account.apiKey,
    N1V1_API_SECRET: account.apiSecret,
    N1V1_CCXT_OPTIONS: JSON.stringify(
      ccxtBinanceConfig({
        baseUrl: endpoints.exchangeProxy,
        apiKey: account.apiKey,
        secret: account.apiSecret,
      }),
    ),
    N1V1_DATABASE_URL: endpoints.databaseProxyUrl,
    N1V1_INTENTS_FILE: files.intentsFile,
    N1V1_SCENARIO: scenario,
    N1V1_PHASE_FILE: files.phaseFile,
    N1V1_RUN_DIR: files.runDir,
  };
}

/** The block as shell `export` lines, quoted for POSIX shells, for a person to paste. */
export function exportLines(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([name, value]) => `export ${name}='${value.replaceAll("'", `'\\''`)}'`)
    .join('\n');
}

/** A bot's files in `runDir` (created), the phase file saying `baseline`. */
export async function targetFiles(runDir: string): Promise<TargetFiles> {
  await mkdir(runDir, { recursive: true });
  const files = {
    intentsFile: join(runDir, 'intents.jsonl'),
    phaseFile: join(runDir, 'phase'),
    runDir,
  };
  await writePhase(files.phaseFile, 'baseline');
  return files;
}

/** Writes the phase file aside and renames it: a bot polling it never reads half a word. */
export async function writePhase(phaseFile: string, phase: string): Promise<void> {
  const aside = `${phaseFile}.next`;
  await writeFile(aside, phase);
  await rename(aside, phaseFile);
}

#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { chaosCommand } from './chaos-command.js';
import { exchangeCommand } from './exchange-command.js';
import { loadCommand } from './load-command.js';
import { notifyCommand } from './notify-command.js';
import { proxyCommand } from './proxy-command.js';
import { reportCommand } from './report-command.js';
import { stackCommand } from './stack-command.js';
import { upCommand } from './up-command.js';
import { RunFailed, RunInterrupted, UsageError } from './usage-error.js';

/** Exit codes: 0 success, 1 a run or SLA failed, 2 bad usage or bad input, 130 interrupted. */
const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;

function program(): Command {
  return new Command('n1v1')
    .description('N1V1 Chaos: chaos engineering and load stress for algorithmic trading systems')
    .version(packageVersion())
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(exchangeCommand().exitOverride())
    .addCommand(proxyCommand().exitOverride())
    .addCommand(upCommand().exitOverride())
    .addCommand(stackCommand().exitOverride())
    .addCommand(chaosCommand().exitOverride())
    .addCommand(loadCommand().exitOverride())
    .addCommand(reportCommand().exitOverride())
    .addCommand(notifyCommand().exitOverride());
}

function packageVersion(): string {
  const manifest = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every other commander error is bad usage.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof UsageError || error instanceof InvalidArgumentError) {
      console.error(`error: ${error.message}`);
      return EXIT_USAGE;
    }
    if (error instanceof RunFailed) return 1;
    if (error instanceof RunInterrupted) return EXIT_INTERRUPTED;
    console.error(error);
    return 1;
  }
}

// A reader that goes away (`| head -1`) must not crash a run that is cleaning up after itself.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

process.exitCode = await main(process.argv);

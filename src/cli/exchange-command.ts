import { Command } from 'commander';
import {
  createExchange,
  DEFAULT_ACCOUNT,
  DEFAULT_BALANCES,
  type ExchangeAccountOptions,
} from '../exchange/index.js';
import { assetAmount, collect, commaList, integerIn } from './parsers.js';
import { untilStopSignal } from './signals.js';
import { UsageError } from './usage-error.js';

interface ExchangeFlags {
  host: string;
  port: number;
  apiKey?: string[];
  apiSecret?: string[];
  symbols?: string[];
  balance?: Record<string, string>;
  seed: number;
  weightLimitPerMin?: number;
  ordersLimitPer10s?: number;
  adminToken?: string;
}

export function exchangeCommand(): Command {
  return new Command('exchange')
    .description('run the Binance-compatible exchange simulator until SIGINT/SIGTERM')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0 picks a free one)', integerIn(0, 65535), 0)
    .option(
      '--api-key <key>',
      'an account API key (repeat with --api-secret for more accounts)',
      collect,
    )
    .option('--api-secret <secret>', 'the secret of the --api-key in the same position', collect)
    .option('--symbols <list>', 'comma-separated symbols to trade', commaList)
    .option(
      '--balance <ASSET=AMOUNT>',
      'starting balance of every account (repeatable)',
      assetAmount,
    )
    .option('--seed <n>', 'seed of the price walk', integerIn(0, 2 ** 32 - 1), 1)
    .option('--weight-limit-per-min <n>', 'request weight per minute per client', integerIn(1, 1e9))
    .option('--orders-limit-per-10s <n>', 'new orders per 10 s per account', integerIn(1, 1e9))
    .option(
      '--admin-token <token>',
      'token for /__admin/ endpoints (default: random, printed on stderr)',
    )
    .action(async (flags: ExchangeFlags) => {
      await runExchange(flags);
    });
}

async function runExchange(flags: ExchangeFlags): Promise<void> {
  let exchange;
  try {
    exchange = await createExchange({
      host: flags.host,
      port: flags.port,
      accounts: accountsFrom(flags),
      balances: flags.balance ? { ...DEFAULT_BALANCES, ...flags.balance } : undefined,
      symbols: flags.symbols,
      seed: flags.seed,
      rateLimits: {
        ...(flags.weightLimitPerMin !== undefined && { weightLimit: flags.weightLimitPerMin }),
        ...(flags.ordersLimitPer10s !== undefined && { ordersPer10s: flags.ordersLimitPer10s }),
      },
      adminToken: flags.adminToken,
      onInternalError: (error) => console.error('internal error:', error),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (
      code === 'EADDRINUSE' ||
      code === 'EACCES' ||
      code === 'EADDRNOTAVAIL' ||
      code === 'ENOTFOUND'
    ) {
      throw new UsageError(`cannot listen on ${flags.host}:${flags.port} (${code})`);
    }
    throw error;
  }
  const stopped = untilStopSignal();
  console.log(`listening ${exchange.url}`);
  const keys = (flags.apiKey ?? [DEFAULT_ACCOUNT.apiKey]).join(', ');
  console.error(`api keys: ${keys}`);
  console.error(`admin token: ${exchange.adminToken}`);
  await stopped;
  await exchange.close();
}

function accountsFrom(flags: ExchangeFlags): ExchangeAccountOptions[] | undefined {
  const keys = flags.apiKey ?? [];
  const secrets = flags.apiSecret ?? [];
  if (keys.length !== secrets.length) {
    throw new UsageError(
      `--api-key given ${keys.length} time(s) but --api-secret ${secrets.length}: give them in pairs.`,
    );
  }
  if (new Set(keys).size !== keys.length) throw new UsageError('each --api-key must be different.');
  if (keys.length === 0) return undefined;
  return keys.map((apiKey, index) => ({ apiKey, apiSecret: secrets[index]! }));
}

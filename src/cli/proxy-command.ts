import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import {
  createProxyServer,
  ProxyError,
  toxicTypes,
  type ProxyInput,
  type ProxyServer,
} from '../proxy/index.js';
import { integerIn } from './parsers.js';
import { untilStopSignal } from './signals.js';
import { UsageError } from './usage-error.js';

interface ProxyFlags {
  host: string;
  port: number;
  allowRemote?: boolean;
  token?: string;
  config?: string;
}

export function proxyCommand(): Command {
  return new Command('proxy')
    .description(
      'run the fault-injecting proxy with its Toxiproxy-compatible admin API until SIGINT/SIGTERM',
    )
    .option('--host <address>', 'address of the admin API', '127.0.0.1')
    .option('--port <n>', 'port of the admin API (0 picks a free one)', integerIn(0, 65535), 8474)
    .option(
      '--allow-remote',
      'allow a non-loopback --host (anyone reaching it can reroute traffic)',
    )
    .option('--token <token>', 'require "Authorization: Bearer <token>" on every admin call')
    .option(
      '--config <file>',
      'JSON array of proxies (Toxiproxy format, toxics allowed) to create at start',
    )
    .addHelpText('after', `\nToxic types: ${toxicTypes().join(', ')}`)
    .action(async (flags: ProxyFlags) => {
      await runProxy(flags);
    });
}

async function runProxy(flags: ProxyFlags): Promise<void> {
  // Read before binding, so a bad file fails fast and leaves nothing behind.
  const config = flags.config === undefined ? undefined : await readConfig(flags.config);
  const server = await createProxyServer({
    host: flags.host,
    port: flags.port,
    allowRemote: flags.allowRemote ?? false,
    token: flags.token,
    onInternalError: (error) => console.error('internal error:', error),
  }).catch(usageOnProxyError);
  try {
    // populate validates every field; the cast only names what it expects.
    if (config !== undefined) await server.populate(config as ProxyInput[]);
  } catch (error) {
    await server.close();
    usageOnProxyError(error, `--config ${flags.config}: `);
  }
  const stopped = untilStopSignal();
  console.log(`listening ${server.url}`);
  printProxies(server);
  await stopped;
  // Removes every toxic and closes every link: a stopped proxy leaves no fault behind.
  await server.close();
}

async function readConfig(file: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`--config ${file}: cannot read the file (${code})`);
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(config))
    throw new UsageError(`--config ${file}: expected a JSON array of proxies`);
  return config;
}

/** Bad flags, a busy port or a bad config are the user's to fix: exit 2 with the reason. */
function usageOnProxyError(error: unknown, prefix = ''): never {
  if (error instanceof ProxyError) throw new UsageError(prefix + error.message);
  throw error;
}

function printProxies(server: ProxyServer): void {
  for (const proxy of server.proxies.values()) {
    const { name, listen, upstream, enabled, mode } = proxy.spec;
    const toxics = proxy.toxicList().map((toxic) => toxic.name);
    console.error(
      `proxy ${name} (${mode}${enabled ? '' : ', disabled'}): ${listen} -> ${upstream}` +
        (toxics.length > 0 ? ` toxics: ${toxics.join(', ')}` : ''),
    );
  }
}

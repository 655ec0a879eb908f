/**
 * The server under test of the proxy benchmark: one fault-injecting proxy
 * (src/proxy) with no toxics, in front of the given upstream, in its own
 * process so it never shares an event loop with the load generator or the
 * upstream.
 *
 *   node --import tsx bench/proxy-child.ts --upstream 127.0.0.1:PORT --mode tcp|http
 *
 * Like the other benchmark children it prints `listening http://HOST:PORT`
 * (the proxy's own port) as its first stdout line and exits 0 on SIGTERM or
 * SIGINT, after closing the proxy.
 */
import { parseArgs } from 'node:util';
import { Proxy } from '../src/proxy/proxy.js';
import { parseProxySpec } from '../src/proxy/specs.js';

/** A close that takes longer than this is a bug worth a non-zero exit (the parent kills at 5 s). */
const CLOSE_TIMEOUT_MS = 4_000;

const EXIT_FAILED_CLOSE = 1;
const EXIT_USAGE = 2;

const USAGE = 'usage: proxy-child.ts --upstream 127.0.0.1:PORT --mode tcp|http';

interface ChildOptions {
  upstream: string;
  mode: 'tcp' | 'http';
}

function parseOptions(argv: string[]): ChildOptions | undefined {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { upstream: { type: 'string' }, mode: { type: 'string' } },
    });
    const { upstream, mode } = values;
    if (upstream === undefined || (mode !== 'tcp' && mode !== 'http')) return undefined;
    return { upstream, mode };
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    console.error(USAGE);
    process.exit(EXIT_USAGE);
  }
  const proxy = await Proxy.create(
    parseProxySpec({
      name: `bench-${options.mode}`,
      listen: '127.0.0.1:0',
      upstream: options.upstream,
      mode: options.mode,
    }),
  );
  console.log(`listening http://${proxy.spec.listen}`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => {
      console.error(`proxy did not close within ${CLOSE_TIMEOUT_MS} ms`);
      process.exit(EXIT_FAILED_CLOSE);
    }, CLOSE_TIMEOUT_MS);
    proxy.close().then(
      () => {
        clearTimeout(timer);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(EXIT_FAILED_CLOSE);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();

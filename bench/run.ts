/**
 * Entry point of `npm run bench -- <name> [options]`.
 *
 * Benchmarks are listed explicitly (not discovered from the file system) so the
 * usage text is exact and a typo cannot silently run nothing. Each module is
 * loaded only when chosen, so one benchmark's imports never slow another.
 */

/** What a benchmark module exports as `benchmark`. */
export interface Benchmark {
  /** Runs with the arguments after the name; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

interface RegistryEntry {
  description: string;
  load: () => Promise<Benchmark>;
}

/** Exit code for a command line that names no known benchmark. */
const EXIT_USAGE = 2;

const BENCHMARKS: Readonly<Record<string, RegistryEntry>> = {
  exchange: {
    description: 'signed order placement on the exchange CLI vs a raw node:http echo server',
    load: async () => (await import('./exchange.js')).benchmark,
  },
  engine: {
    description:
      'the trading engine end to end on a real stack: orders/s and latency vs raw node:http',
    load: async () => (await import('./engine.js')).benchmark,
  },
  proxy: {
    description:
      'the fault-injecting proxy (no toxics) vs direct: HTTP throughput, latency, bulk TCP',
    load: async () => (await import('./proxy.js')).benchmark,
  },
  evidence: {
    description:
      "what recording the judge's evidence costs a world: orders/s on and off, heap over the run, vs raw node:http",
    load: async () => (await import('./evidence.js')).benchmark,
  },
  load: {
    description:
      'the load runner: default SLA run, highest open-model rate meeting the SLA, vs raw node:http',
    load: async () => (await import('./load.js')).benchmark,
  },
};

function usage(): string {
  const names = Object.keys(BENCHMARKS);
  const width = Math.max(...names.map((name) => name.length));
  const lines = names.map((name) => `  ${name.padEnd(width)}  ${BENCHMARKS[name]!.description}`);
  return [
    'usage: npm run bench -- <benchmark> [options]',
    '',
    'benchmarks:',
    ...lines,
    '',
    'Run `npm run bench -- <benchmark> --help` for its options.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') {
    console.log(usage());
    return 0;
  }
  const entry = name === undefined ? undefined : BENCHMARKS[name];
  if (!entry) {
    if (name !== undefined) console.error(`unknown benchmark: ${name}\n`);
    console.error(usage());
    return EXIT_USAGE;
  }
  const benchmark = await entry.load();
  return benchmark.run(rest);
}

// Exit explicitly: a benchmark that left a stray handle open must not hang CI.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

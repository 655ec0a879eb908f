/**
 * Command-line helpers for benchmarks. Options are validated strictly and up
 * front: a typo in `--duration` must stop the run with a clear message, not
 * silently measure something else for minutes.
 */
import type { Benchmark } from '../run.js';
import type { LoadSettings } from './http-load.js';

/** A numeric option within [min, max], integral when asked; throws a usage message otherwise. */
export function numberOption(
  raw: string | undefined,
  name: string,
  fallback: number,
  [min, max]: [number, number],
  integer: boolean,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  const valid =
    raw.trim() !== '' &&
    Number.isFinite(value) &&
    value >= min &&
    value <= max &&
    (!integer || Number.isInteger(value));
  if (!valid) {
    const kind = integer ? 'an integer' : 'a number';
    throw new TypeError(`--${name} must be ${kind} from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/** Exit code for a command line the benchmark cannot run with. */
const EXIT_USAGE = 2;

/**
 * The command-line entry every benchmark shares: options that do not parse
 * print the message and the usage and exit 2, before any server starts;
 * `--help` (parse returning undefined) prints the usage and exits 0.
 */
export function cliBenchmark<Settings>(
  usage: string,
  parse: (args: string[]) => Settings | undefined,
  run: (settings: Settings) => Promise<number>,
): Benchmark {
  return {
    async run(args) {
      let settings: Settings | undefined;
      try {
        settings = parse(args);
      } catch (error) {
        console.error(`${(error as Error).message}\n\n${usage}`);
        return EXIT_USAGE;
      }
      if (settings === undefined) {
        console.log(usage);
        return 0;
      }
      return run(settings);
    },
  };
}

/** parseArgs declarations of the closed-loop load options every HTTP benchmark takes. */
export const LOAD_OPTIONS = {
  duration: { type: 'string' },
  warmup: { type: 'string' },
  connections: { type: 'string' },
  inflight: { type: 'string' },
  'max-requests': { type: 'string' },
} as const;

/** Usage lines for LOAD_OPTIONS; `target` names what one measurement is of. */
export function loadUsage(target: string): string {
  return [
    `  --duration S           measured seconds per ${target} (default 10)`,
    '  --warmup S             seconds of load before measuring, not counted (default 2)',
    `  --connections N        keep-alive connections per ${target} (default 32)`,
    '  --inflight N           requests in flight at once (default: --connections)',
    '  --max-requests N       stop measuring a target after N requests (default 2000000)',
  ].join('\n');
}

/** The load settings from parsed LOAD_OPTIONS values, validated, with their defaults. */
export function loadSettings(
  values: Partial<Record<keyof typeof LOAD_OPTIONS, string>>,
): LoadSettings {
  const connections = numberOption(values.connections, 'connections', 32, [1, 1024], true);
  return {
    durationS: numberOption(values.duration, 'duration', 10, [0.1, 600], false),
    warmupS: numberOption(values.warmup, 'warmup', 2, [0, 60], false),
    connections,
    inFlight: numberOption(values.inflight, 'inflight', connections, [1, 4096], true),
    maxRequests: numberOption(values['max-requests'], 'max-requests', 2_000_000, [1, 5e7], true),
  };
}

/**
 * Command-line helpers for benchmarks. Options are validated strictly and up
 * front: a typo in `--duration` must stop the run with a clear message, not
 * silently measure something else for minutes.
 */
import type { Benchmark } from '../run.js';

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

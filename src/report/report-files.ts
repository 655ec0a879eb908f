import type { ScenarioResult } from '../chaos/index.js';

/** The run directory's name, `chaos_run_YYYYMMDD_HHMMSS`, in UTC so that runs sort in time order. */
export function runDirectoryName(at: Date): string {
  // toISOString is UTC and throws a RangeError on an invalid date.
  const [date = '', time = ''] = at.toISOString().slice(0, 19).split('T');
  return `chaos_run_${date.replaceAll('-', '')}_${time.replaceAll(':', '')}`;
}

/**
 * A scenario report's file name: `<scenario>_report.json`, or in soak mode,
 * where a scenario runs many times, `<scenario>_<iteration>_report.json`
 * with the iteration padded to three digits so that the files sort in order.
 */
export function reportFileName(result: ScenarioResult, soak: boolean): string {
  const name = result.scenario.name;
  // Scenario names are validated upstream; this guard keeps a bad one from escaping the run directory.
  if (!/^[a-z0-9_]+$/.test(name))
    throw new Error(`scenario name ${JSON.stringify(name)} cannot name a file`);
  if (!soak) return `${name}_report.json`;
  return `${name}_${String(result.iteration).padStart(3, '0')}_report.json`;
}

/**
 * Each result with its report file name. A run that names a scenario twice
 * outside soak mode gets soak names too, so that no report overwrites another.
 */
export function reportFiles(
  results: readonly ScenarioResult[],
  soak: boolean,
): { result: ScenarioResult; file: string }[] {
  const repeats = new Set(results.map((result) => result.scenario.name)).size < results.length;
  const named = results.map((result) => ({
    result,
    file: reportFileName(result, soak || repeats),
  }));
  const files = new Set(named.map(({ file }) => file));
  if (files.size < named.length) throw new Error('two results share a scenario and an iteration');
  return named;
}

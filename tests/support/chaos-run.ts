import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import {
  builtInScenario,
  runChaosSuite,
  type Scenario,
  type ScenarioResult,
  type SuiteOptions,
  type SuiteResult,
} from '../../src/chaos/index.js';

/** A built-in scenario by name; throws on a typo. */
export function scenario(name: string): Scenario {
  const found = builtInScenario(name);
  if (!found) throw new Error(`no built-in scenario ${name}`);
  return found;
}

/** A scratch directory for one test file (logs, reports, scenario files), removed after it. */
export function scratchDir(): () => string {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'n1v1-chaos-test-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (!dir) throw new Error('the scratch directory is not ready');
    return dir;
  };
}

/**
 * Runs scenarios as `n1v1 chaos --quick` does: each on a fresh stack whose
 * engine is a child process, 50 strategies, seeded.
 */
export function quickSuite(
  scenarios: Scenario[],
  logDir: string,
  options: Partial<SuiteOptions> = {},
): Promise<SuiteResult> {
  return runChaosSuite({
    scenarios,
    mode: 'sequential',
    seed: 42,
    parallel: false,
    soakSeconds: null,
    quick: true,
    signal: new AbortController().signal,
    ...options,
    stack: { engineProcess: 'child', logDir, ...options.stack },
  });
}

/** The names of a result's failed checks, for readable assertions. */
export function failedChecks(result: ScenarioResult): string[] {
  return result.checks.filter((check) => !check.passed).map((check) => check.name);
}

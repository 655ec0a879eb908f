import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Scenario } from './model.js';
import { ScenarioFileError, loadScenarioFile, parseScenarioDocument } from './scenario-file.js';

const FULL_YAML = `# Every field, none left to its default.
name: slow_exchange
description: Exchange answers slowly
failure_type: performance
target: exchange
baseline_seconds: 20
chaos_seconds: 40
sla_recovery_seconds: 30
recovery_timeout_seconds: 90
expected_failure_rate: 0
failure_band: { min: 0, max: 5 }
recovery_tolerance_percent: 15
faults:
  - target: exchange
    toxic: http_latency
    toxicity: 0.5
    stream: upstream
    attributes: { latency: 500, jitter: 100 }
    start_seconds: 10
    duration_seconds: 20
`;

/** The smallest valid scenario, in snake_case: tests change one field at a time. */
function minimal(): Record<string, unknown> {
  return {
    name: 'db_reset',
    description: 'Database connections reset',
    failure_type: 'chaos_database_outage',
    target: 'database',
    chaos_seconds: 20,
    sla_recovery_seconds: 30,
    expected_failure_rate: 40,
    faults: [{ target: 'database', toxic: 'reset_peer' }],
  };
}

/** minimal() with one fault field changed. */
function withFault(fault: Record<string, unknown>): Record<string, unknown> {
  return { ...minimal(), faults: [{ target: 'database', toxic: 'reset_peer', ...fault }] };
}

function errorOf(document: unknown, fileName = 'slow.yaml'): ScenarioFileError {
  const text = typeof document === 'string' ? document : stringify(document);
  try {
    parseScenarioDocument(text, fileName);
  } catch (error) {
    if (error instanceof ScenarioFileError) return error;
    throw error;
  }
  throw new Error('the document was accepted');
}

describe('loadScenarioFile', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'n1v1-scenarios-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function write(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  it('loads a YAML scenario with every field', async () => {
    const scenarios = await loadScenarioFile(await write('slow.yaml', FULL_YAML));
    expect(scenarios).toEqual<Scenario[]>([
      {
        name: 'slow_exchange',
        description: 'Exchange answers slowly',
        failureType: 'performance',
        target: 'exchange',
        baselineSeconds: 20,
        chaosSeconds: 40,
        recoveryTimeoutSeconds: 90,
        slaRecoverySeconds: 30,
        expectedFailureRate: 0,
        failureBand: { min: 0, max: 5 },
        recoveryTolerancePercent: 15,
        faults: [
          {
            target: 'exchange',
            toxic: 'http_latency',
            toxicity: 0.5,
            scope: 'connection',
            stream: 'upstream',
            attributes: { latency: 500, jitter: 100 },
            startSeconds: 10,
            durationSeconds: 20,
          },
        ],
      },
    ]);
  });

  it('loads a JSON scenario, filling the defaults', async () => {
    const path = await write('db.json', JSON.stringify(minimal(), null, 2));
    expect(await loadScenarioFile(path)).toEqual<Scenario[]>([
      {
        name: 'db_reset',
        description: 'Database connections reset',
        failureType: 'chaos_database_outage',
        target: 'database',
        baselineSeconds: 30,
        chaosSeconds: 20,
        recoveryTimeoutSeconds: 60,
        slaRecoverySeconds: 30,
        expectedFailureRate: 40,
        failureBand: { min: 30, max: 50 },
        recoveryTolerancePercent: 10,
        faults: [
          {
            target: 'database',
            toxic: 'reset_peer',
            toxicity: 1,
            scope: 'connection',
            stream: 'downstream',
            attributes: {},
            startSeconds: 0,
            durationSeconds: undefined,
          },
        ],
      },
    ]);
  });

  it('loads a list of scenarios; a built-in name overrides the built-in', async () => {
    const down = {
      ...minimal(),
      name: 'exchange_downtime',
      target: 'exchange',
      expected_failure_rate: 95,
      faults: [{ target: 'exchange', toxic: 'disabled', duration_seconds: 5 }],
    };
    const path = await write('all.yml', stringify({ scenarios: [minimal(), down] }));
    const scenarios = await loadScenarioFile(path);
    expect(scenarios.map((s) => s.name)).toEqual(['db_reset', 'exchange_downtime']);
    expect(scenarios[1]?.failureBand).toEqual({ min: 85, max: 100 });
    expect(scenarios[1]?.faults[0]).toMatchObject({ toxic: 'disabled', durationSeconds: 5 });
  });

  it('names the file it cannot read', async () => {
    const path = join(dir, 'missing.yaml');
    const error = await loadScenarioFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ScenarioFileError);
    expect(error).toMatchObject({ name: 'ScenarioFileError', code: 'unreadable', file: path });
    expect((error as Error).message).toMatch(/missing\.yaml: cannot read the file: ENOENT/);
  });

  it('refuses an empty file', async () => {
    const path = await write('empty.yaml', '\n  \n');
    await expect(loadScenarioFile(path)).rejects.toThrow(
      /empty\.yaml: the file is empty; expected a scenario or \{scenarios: \[\.\.\.\]\}/,
    );
    expect(errorOf('# only a comment\n').message).toMatch(/^slow\.yaml: the file is empty/);
  });

  it('reports syntax errors with their place', async () => {
    const yaml = await write(
      'slow.yaml',
      'name: slow\nfaults:\n  - target: exchange\n   toxic: x\n',
    );
    await expect(loadScenarioFile(yaml)).rejects.toMatchObject({
      code: 'syntax',
      message: expect.stringMatching(/slow\.yaml: YAML syntax error at line 4, column \d+: \S/),
    });
    const json = await write('slow.json', '{"name": "slow",}');
    await expect(loadScenarioFile(json)).rejects.toThrow(/slow\.json: JSON syntax error: \S/);
  });
});

describe('parseScenarioDocument errors', () => {
  it('name the scenario and fault in a list', () => {
    const document = { scenarios: [minimal(), withFault({ toxicity: 3 })] };
    expect(errorOf(document, 'scenarios.yaml').message).toBe(
      'scenarios.yaml: scenarios[1].faults[0].toxicity: expected a number from 0 to 1, got 3',
    );
  });

  it('name an unknown field, the most likely cause of a missing one', () => {
    expect(errorOf(withFault({ toxcity: 0.5 })).message).toMatch(
      /^slow\.yaml: faults\[0\]: unknown field "toxcity"; expected: target, toxic, toxicity,/,
    );
    const { chaos_seconds, ...typo } = minimal();
    expect(errorOf({ ...typo, chaos_second: chaos_seconds }).message).toMatch(
      /^slow\.yaml: unknown field "chaos_second"; expected: name, /,
    );
  });

  it('say what is required and what was expected', () => {
    const undescribed = minimal();
    delete undescribed.description;
    expect(errorOf(undescribed).message).toBe('slow.yaml: description: required');
    expect(errorOf({ ...minimal(), failure_type: 'Performance' }).message).toMatch(
      /^slow\.yaml: failure_type: expected one of connectivity, performance, .*, got "Performance"$/,
    );
    expect(errorOf({ ...minimal(), name: 'Slow-1' }).message).toMatch(
      /^slow\.yaml: name: expected lower-case letters, .*, got "Slow-1"$/,
    );
    expect(errorOf({ ...minimal(), faults: [] }).message).toBe(
      'slow.yaml: faults: expected at least one fault, got an empty list',
    );
    expect(errorOf({ ...minimal(), chaos_seconds: '20' }).message).toMatch(
      /^slow\.yaml: chaos_seconds: expected a number of seconds above 0, .*, got "20"$/,
    );
    expect(errorOf(['a list']).message).toBe(
      'slow.yaml: expected a scenario or {scenarios: [...]}, got a list',
    );
  });

  it('report the deepest problem first', () => {
    const document = { ...minimal(), name: 'Bad', faults: [{ target: 'mars', toxic: 'x' }] };
    expect(errorOf(document).message).toBe(
      'slow.yaml: faults[0].target: expected one of exchange, database, got "mars"',
    );
  });

  it('refuse toxics the target proxy does not have', () => {
    expect(errorOf(withFault({ toxic: 'http_latenc' })).message).toMatch(
      /^slow\.yaml: faults\[0\]\.toxic: unknown toxic "http_latenc"; known: disabled, .*http_status/,
    );
    expect(errorOf(withFault({ toxic: 'http_latency' })).message).toBe(
      'slow.yaml: faults[0].toxic: "http_latency" does not work on the database proxy (tcp mode)',
    );
    const onExchange = { target: 'exchange', toxic: 'slicer' };
    expect(errorOf({ ...minimal(), faults: [onExchange] }).message).toBe(
      'slow.yaml: faults[0].toxic: "slicer" does not work on the exchange proxy (http mode)',
    );
  });

  it("pass the proxy's own word on attributes", () => {
    expect(errorOf(withFault({ attributes: { timeout: -1 } })).message).toMatch(
      /^slow\.yaml: faults\[0\]\.attributes: reset_peer: attribute timeout must be a number/,
    );
    const latency = { target: 'exchange', toxic: 'http_latency', attributes: { lateny: 5 } };
    expect(errorOf({ ...minimal(), faults: [latency] }).message).toMatch(
      /^slow\.yaml: faults\[0\]\.attributes: http_latency: unknown attribute lateny/,
    );
    expect(errorOf(withFault({ attributes: { timout: 5 } })).message).toBe(
      'slow.yaml: faults[0].attributes: reset_peer: unknown attribute timout (expected: timeout)',
    );
    expect(errorOf(withFault({ toxic: 'disabled', attributes: { timeout: 0 } })).message).toBe(
      'slow.yaml: faults[0].attributes: a disabled proxy takes no attributes, got timeout',
    );
    expect(errorOf(withFault({ toxic: 'disabled', toxicity: 0.5 })).message).toMatch(
      /^slow\.yaml: faults\[0\]\.toxicity: a disabled proxy refuses every connection/,
    );
  });

  it('keep faults inside the chaos window', () => {
    expect(errorOf(withFault({ start_seconds: 20 })).message).toBe(
      'slow.yaml: faults[0].start_seconds: expected less than chaos_seconds (20), got 20',
    );
    expect(errorOf(withFault({ start_seconds: 5, duration_seconds: 16 })).message).toBe(
      'slow.yaml: faults[0].duration_seconds: expected start_seconds + duration_seconds at most chaos_seconds (20), got 5 + 16',
    );
  });

  it('check the recovery timeout and the band', () => {
    expect(errorOf({ ...minimal(), recovery_timeout_seconds: 10 }).message).toBe(
      'slow.yaml: recovery_timeout_seconds: expected at least sla_recovery_seconds (30), got 10',
    );
    expect(errorOf({ ...minimal(), failure_band: { min: 60, max: 40 } }).message).toBe(
      'slow.yaml: failure_band: expected min at most max, got min 60, max 40',
    );
    expect(errorOf({ ...minimal(), failure_band: { min: 0, max: 101 } }).message).toBe(
      'slow.yaml: failure_band.max: expected a number from 0 to 100, got 101',
    );
  });

  it('refuse a name used twice in one file', () => {
    const document = { scenarios: [minimal(), withFault({}), { ...minimal(), name: 'other' }] };
    expect(errorOf(document, 'all.yaml').message).toBe(
      'all.yaml: scenarios[1].name: "db_reset" is already the name of scenarios[0]',
    );
  });

  it('take scope chunk only where it means something: a tcp target and a per-chunk toxic', () => {
    expect(
      parseScenarioDocument(stringify(withFault({ scope: 'chunk' })), 'ok.yaml')[0]!.faults[0]!
        .scope,
    ).toBe('chunk');
    expect(errorOf(withFault({ toxic: 'timeout', scope: 'chunk' })).message).toBe(
      'slow.yaml: faults[0].scope: timeout holds state across chunks and cannot be drawn per chunk',
    );
    const onExchange = {
      ...minimal(),
      target: 'exchange',
      faults: [{ target: 'exchange', toxic: 'http_status', scope: 'chunk' }],
    };
    expect(errorOf(onExchange).message).toBe(
      'slow.yaml: faults[0].scope: the exchange proxy draws per request already; scope chunk is for tcp targets (database)',
    );
  });
});

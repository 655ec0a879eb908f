import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseScenarioConfig, parseScenarioDocument, ScenarioFileError } from './scenario-file.js';

/** An exchange scenario with one fault, in snake_case; tests change the fault or add a target. */
function scenarioWith(fault: Record<string, unknown>): Record<string, unknown> {
  return {
    name: 'ack_loss',
    description: 'Order answers lost',
    failure_type: 'connectivity',
    target: 'exchange',
    chaos_seconds: 10,
    sla_recovery_seconds: 30,
    expected_failure_rate: 25,
    faults: [{ target: 'exchange', toxic: 'http_drop_response', ...fault }],
  };
}

function problem(document: unknown): string {
  try {
    parseScenarioConfig(stringify(document), 'bot.yaml');
  } catch (error) {
    if (error instanceof ScenarioFileError) return error.message;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('scenario faults: match', () => {
  it('keeps method and path for the proxy', () => {
    const match = { method: 'POST', path: '/api/v3/order' };
    const [scenario] = parseScenarioDocument(stringify(scenarioWith({ match })), 'bot.yaml');
    expect(scenario!.faults[0]!.match).toEqual(match);
  });

  it('a fault without match has none', () => {
    const [scenario] = parseScenarioDocument(stringify(scenarioWith({})), 'bot.yaml');
    expect(scenario!.faults[0]).not.toHaveProperty('match');
  });

  it.each([
    [
      { match: { method: 'POST', verb: 'x' } },
      /faults\[0\]\.match: unknown field "verb"; expected: method, path/,
    ],
    [
      { match: { path: 'api/v3/order' } },
      /faults\[0\]\.match\.path: expected a path glob starting with \//,
    ],
    [{ match: { method: 'PO ST' } }, /faults\[0\]\.match\.method: expected an HTTP method/],
    [{ match: 'POST /api/v3/order' }, /faults\[0\]\.match: expected \{method, path\}/],
  ])('refuses %j', (fault, message) => {
    expect(problem(scenarioWith(fault))).toMatch(message);
  });

  it('refuses match on the database (tcp) and on a disabled proxy', () => {
    const database = scenarioWith({});
    database['target'] = 'database';
    database['faults'] = [{ target: 'database', toxic: 'reset_peer', match: { path: '/x' } }];
    expect(problem(database)).toMatch(
      /faults\[0\]\.match: the database proxy sees no HTTP requests/,
    );
    const disabled = scenarioWith({ toxic: 'disabled', match: { method: 'POST' } });
    expect(problem(disabled)).toMatch(
      /faults\[0\]\.match: a disabled proxy refuses every connection/,
    );
  });
});

describe('scenario files: target beside scenarios', () => {
  it('reads the target with its settings', () => {
    const config = parseScenarioConfig(
      stringify({
        target: {
          command: 'python my_bot.py',
          ready: '^ready$',
          health: 'http://127.0.0.1:8080/health',
          ready_timeout_seconds: 30,
          grace_seconds: 5,
          intents: true,
          expect_flat: true,
        },
        scenarios: [scenarioWith({})],
      }),
      'bot.yaml',
    );
    expect(config.target).toEqual({
      command: 'python my_bot.py',
      readyPattern: '^ready$',
      healthUrl: 'http://127.0.0.1:8080/health',
      readyTimeoutSeconds: 30,
      graceSeconds: 5,
      intents: true,
      expectFlat: true,
    });
    expect(config.scenarios.map((s) => s.name)).toEqual(['ack_loss']);
  });

  it('a single-scenario file has no target: its target field is the faulted dependency', () => {
    const config = parseScenarioConfig(stringify(scenarioWith({})), 'bot.yaml');
    expect(config.target).toBeUndefined();
    expect(config.scenarios[0]!.target).toBe('exchange');
  });

  it.each([
    [{ ready: 'x' }, /target\.command: required/],
    [{ command: '  ' }, /target\.command: expected a non-empty command/],
    [{ command: 'x', ready: '[' }, /target\.ready: expected a valid regular expression/],
    [{ command: 'x', health: 'not a url' }, /target\.health: expected an http:\/\/ URL/],
    [
      { command: 'x', grace_seconds: -1 },
      /target\.grace_seconds: expected a number of seconds above 0/,
    ],
    [{ command: 'x', intent: true }, /target: unknown field "intent"/],
  ])('refuses target %j', (target, message) => {
    expect(problem({ target, scenarios: [scenarioWith({})] })).toMatch(message);
  });
});

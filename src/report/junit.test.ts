import { describe, expect, it } from 'vitest';
import { ChaosSummarySchema, ScenarioReportSchema } from './chaos-schema.js';
import { chaosJunitXml, escapeXml, loadJunitXml } from './junit.js';
import type { ChaosSummary, ScenarioReport } from './report-types.js';
import { closedLoadReport } from '../../tests/support/load-report-fixtures.js';
import { externalResult, skippedResult } from '../../tests/support/report-fixtures.js';
import { scenarioReport } from './chaos-json.js';

// ---- a minimal XML reader: throws on anything a real parser would refuse ----

interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i += 1) {
    const char = raw[i] as string;
    const code = char.charCodeAt(0);
    if (code < 0x20 && char !== '\t' && char !== '\n' && char !== '\r') {
      throw new Error(`control character ${code} at ${i}`);
    }
    if (char === '<') throw new Error(`raw < at ${i}`);
    if (char !== '&') {
      out += char;
      continue;
    }
    const end = raw.indexOf(';', i);
    if (end < 0) throw new Error(`unterminated & at ${i}`);
    const entity = raw.slice(i + 1, end);
    if (entity.startsWith('#')) out += String.fromCodePoint(Number(`0${entity.slice(1)}`));
    else if (entity in NAMED) out += NAMED[entity];
    else throw new Error(`unknown entity &${entity};`);
    i = end;
  }
  return out;
}

function parseXml(xml: string): Node {
  let pos = xml.startsWith('<?xml') ? xml.indexOf('?>') + 2 : 0;
  const skipSpace = () => {
    while (' \t\n\r'.includes(xml[pos] ?? 'x')) pos += 1;
  };
  const readName = () => {
    const start = pos;
    while (pos < xml.length && !' \t\n\r/>='.includes(xml[pos] as string)) pos += 1;
    if (pos === start) throw new Error(`name expected at ${pos}`);
    return xml.slice(start, pos);
  };
  const parseElement = (): Node => {
    if (xml[pos] !== '<') throw new Error(`< expected at ${pos}`);
    pos += 1;
    const node: Node = { name: readName(), attrs: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (xml.startsWith('/>', pos)) {
        pos += 2;
        return node;
      }
      if (xml[pos] === '>') break;
      const key = readName();
      if (key in node.attrs) throw new Error(`duplicate attribute ${key}`);
      if (xml[pos] !== '=' || xml[pos + 1] !== '"') throw new Error(`=" expected at ${pos}`);
      const end = xml.indexOf('"', pos + 2);
      node.attrs[key] = decode(xml.slice(pos + 2, end));
      pos = end + 1;
    }
    pos += 1;
    for (;;) {
      const next = xml.indexOf('<', pos);
      if (next < 0) throw new Error(`</${node.name}> missing`);
      node.text += decode(xml.slice(pos, next));
      pos = next;
      if (xml.startsWith('</', pos)) {
        pos += 2;
        if (readName() !== node.name || xml[pos] !== '>') throw new Error(`bad close at ${pos}`);
        pos += 1;
        return node;
      }
      node.children.push(parseElement());
    }
  };
  skipSpace();
  const root = parseElement();
  skipSpace();
  if (pos !== xml.length) throw new Error(`trailing content at ${pos}`);
  return root;
}

const childrenNamed = (node: Node, name: string) => node.children.filter((c) => c.name === name);
function only(node: Node, name: string): Node {
  const found = childrenNamed(node, name);
  expect(found, `<${name}> in <${node.name}>`).toHaveLength(1);
  return found[0] as Node;
}

// ---- fixtures: reports as the run directory holds them ----

const T0 = Date.UTC(2023, 11, 1, 2, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const CHECKS = [
  'recovery_detected',
  'sla_met',
  'failure_rate_acceptable',
  'watchdog_alerts_fired',
  'recovery_events_logged',
  'invariants_hold',
];
const latency = { count: 100, p50: 1.5, p90: 2, p95: 2.5, p99: 4, p999: 9.1, max: 12 };

/** A network partition that recovered in 25.3 s, every check passed; 100 s from start to end. */
function passing(overrides: Partial<ScenarioReport> = {}): ScenarioReport {
  return ScenarioReportSchema.parse({
    scenario: {
      name: 'network_partition',
      description: 'Network partition causing 60s API timeouts',
      duration_seconds: 60,
      expected_failure_rate: 100,
      sla_recovery_time_seconds: 30,
    },
    execution: {
      start_time: at(0),
      end_time: at(100.25),
      recovery_time_seconds: 25.3,
      failure_injected: true,
      recovery_detected: true,
    },
    metrics: {
      orders_before_chaos: 150,
      orders_during_chaos: 0,
      orders_after_chaos: 148,
      failures_before_chaos: 1,
      failures_during_chaos: 50,
      failures_after_chaos: 1,
      chaos_failure_rate: 100,
      recovery_successful: true,
    },
    validation: {
      recovery_detected: true,
      recovery_time_seconds: 25.3,
      sla_met: true,
      failure_rate_acceptable: true,
      watchdog_alerts_fired: true,
      recovery_events_logged: true,
    },
    watchdog: { alerts_count: 3, recovery_events_count: 1 },
    timestamp: at(100.25),
    status: 'completed',
    error: null,
    passed: true,
    checks: CHECKS.map((name) => ({ name, passed: true, detail: `${name} ok` })),
    failed_checks: [],
    seed: 42,
    iteration: 1,
    expected_failure_band: { min: 90, max: 100 },
    target: 'exchange',
    target_traffic: { requests: 2500, failures: 2499 },
    phases: { baseline: { start_time: at(0), end_time: at(10) } },
    latency_ms: { baseline: latency, chaos: latency, recovery: latency },
    orders_refused: { before_chaos: 0, during_chaos: 3, after_chaos: 0 },
    diagnosis: {
      injected_failure_type: 'chaos_network_partition',
      diagnosed_failure_type: 'chaos_network_partition',
      correct: true,
      first_alert_ms: 1200,
      actions: ['reconnect'],
      events: [],
    },
    invariants: {
      lost: 0,
      duplicated: 0,
      unresolved: 0,
      mismatched: 0,
      exchange_orders: 298,
      journal_orders: 298,
      ok: true,
      examples: [],
    },
    timeline: [],
    ...overrides,
  }) as ScenarioReport;
}

/** Too slow, and a check detail full of characters XML must escape, with a control character. */
function failing(): ScenarioReport {
  const base = passing();
  const failed = new Set(['sla_met', 'invariants_hold']);
  return passing({
    scenario: { ...base.scenario, name: 'rate_limit_flood' },
    iteration: 2,
    passed: false,
    checks: base.checks.map((check) =>
      failed.has(check.name)
        ? {
            ...check,
            passed: false,
            detail:
              check.name === 'sla_met' ? 'recovery 40 s; SLA 30 s' : `1 <dup> & "x" 'y'\u0007`,
          }
        : check,
    ),
    failed_checks: [...failed],
  });
}

function errored(): ScenarioReport {
  return passing({
    scenario: { ...passing().scenario, name: 'database_outage' },
    status: 'error',
    error: 'proxy <toxiproxy> unreachable & gone',
    passed: false,
    invariants: null,
  });
}

function summaryOf(reports: ScenarioReport[], aborted = false): ChaosSummary {
  const passed = reports.filter((report) => report.passed).length;
  return ChaosSummarySchema.parse({
    test_run: {
      timestamp: at(1850),
      duration_seconds: 1850,
      mode: 'sequential',
      parallel: false,
      total_scenarios: reports.length,
      scenarios_run: reports.map((report) => report.scenario.name),
    },
    results: {
      passed_scenarios: passed,
      failed_scenarios: reports.length - passed,
      pass_rate_percent: Math.round((passed / reports.length) * 1000) / 10,
      average_recovery_time_seconds: 25.3,
    },
    seed: 42,
    soak_duration_seconds: null,
    aborted,
    scenarios: reports.map((report) => ({
      name: report.scenario.name,
      iteration: report.iteration,
      passed: report.passed,
      status: report.status,
      failed_checks: report.failed_checks,
      recovery_time_seconds: report.execution.recovery_time_seconds,
      chaos_failure_rate: report.metrics.chaos_failure_rate,
      report_file: `${report.scenario.name}_report.json`,
    })),
  }) as ChaosSummary;
}

describe('the test XML reader', () => {
  it('refuses what a real parser refuses, so the tests below mean something', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow(/bad close/);
    expect(() => parseXml('<a x="1 & 2"/>')).toThrow(/&/);
    expect(() => parseXml('<a>1 < 2</a>')).toThrow();
    expect(() => parseXml('<a>\u0007</a>')).toThrow(/control/);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/duplicate/);
    expect(parseXml('<a x="&lt;&#10;">t&amp;t<b/></a>')).toMatchObject({
      attrs: { x: '<\n' },
      text: 't&t',
      children: [{ name: 'b' }],
    });
  });
});

describe('escapeXml', () => {
  it('escapes the five specials and drops characters XML 1.0 forbids', () => {
    expect(escapeXml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
    expect(escapeXml('x\u0000y\u001bz\uFFFE\uD800!')).toBe('xyz!');
    expect(escapeXml('tab\tline\n')).toBe('tab\tline\n');
    expect(escapeXml('tab\tline\n', true)).toBe('tab&#9;line&#10;');
    expect(escapeXml('emoji 😀 kept')).toBe('emoji 😀 kept');
  });
});

describe('chaosJunitXml', () => {
  const reports = [passing(), failing(), errored()];
  const root = parseXml(chaosJunitXml(summaryOf(reports), reports));
  const suite = only(root, 'testsuite');
  const cases = childrenNamed(suite, 'testcase');

  it('writes one suite with the counts and the run start time', () => {
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '3', failures: '1', errors: '1' });
    expect(suite.attrs).toEqual({
      name: 'n1v1-chaos',
      tests: '3',
      failures: '1',
      errors: '1',
      skipped: '0',
      time: '1850',
      timestamp: '2023-12-01T02:00:00',
    });
    const properties = childrenNamed(only(suite, 'properties'), 'property');
    expect(properties.map((p) => [p.attrs.name, p.attrs.value])).toContainEqual(['seed', '42']);
  });

  it('writes one testcase per report, named and timed from the execution window', () => {
    expect(cases.map((c) => c.attrs)).toEqual([
      { classname: 'chaos', name: 'network_partition', time: '100.25' },
      { classname: 'chaos', name: 'rate_limit_flood #2', time: '100.25' },
      { classname: 'chaos', name: 'database_outage', time: '100.25' },
    ]);
    const [pass] = cases as [Node];
    expect(childrenNamed(pass, 'failure')).toEqual([]);
    expect(childrenNamed(pass, 'error')).toEqual([]);
    const out = only(pass, 'system-out').text;
    expect(out).toContain('recovery: 25.3 s (SLA 30 s)');
    expect(out).toContain('chaos failure rate: 100% (band 90–100%)');
    expect(out).toContain('invariants: ok');
  });

  it('names the failed checks and gives each detail, escaped and without control characters', () => {
    const failure = only(cases[1] as Node, 'failure');
    expect(failure.attrs).toEqual({
      message: 'failed checks: sla_met, invariants_hold',
      type: 'sla',
    });
    expect(failure.text).toBe(
      `sla_met: recovery 40 s; SLA 30 s\ninvariants_hold: 1 <dup> & "x" 'y'`,
    );
    expect(chaosJunitXml(summaryOf(reports), reports)).toContain(
      'invariants_hold: 1 &lt;dup&gt; &amp; &quot;x&quot; &apos;y&apos;</failure>',
    );
  });

  it('reports a broken scenario as an error with its message', () => {
    const error = only(cases[2] as Node, 'error');
    expect(error.attrs).toEqual({ message: 'proxy <toxiproxy> unreachable & gone', type: 'error' });
    expect(only(cases[2] as Node, 'system-out').text).toContain('invariants: not checked');
  });

  it('counts an aborted scenario as an error, not a failure', () => {
    const aborted = passing({ status: 'aborted', error: 'interrupted', passed: false });
    const xml = parseXml(chaosJunitXml(summaryOf([aborted], true), [aborted]));
    const abortedSuite = only(xml, 'testsuite');
    expect(abortedSuite.attrs).toMatchObject({ tests: '1', failures: '0', errors: '1' });
    expect(only(only(abortedSuite, 'testcase'), 'error').attrs.type).toBe('aborted');
  });
});

describe('chaosJunitXml: an external bot and a skipped scenario', () => {
  const bot = ScenarioReportSchema.parse(scenarioReport(externalResult())) as ScenarioReport;
  const skipped = ScenarioReportSchema.parse(scenarioReport(skippedResult())) as ScenarioReport;
  const reports = [passing(), bot, skipped];
  const suite = only(parseXml(chaosJunitXml(summaryOf(reports), reports)), 'testsuite');
  const [, botCase, skippedCase] = childrenNamed(suite, 'testcase') as [Node, Node, Node];

  it('counts a skipped scenario as skipped, neither a failure nor an error', () => {
    expect(suite.attrs).toMatchObject({ tests: '3', failures: '1', errors: '0', skipped: '1' });
    expect(only(skippedCase, 'skipped').attrs).toEqual({ message: 'the target uses no database' });
    expect(childrenNamed(skippedCase, 'failure')).toEqual([]);
    expect(childrenNamed(skippedCase, 'error')).toEqual([]);
    expect(only(skippedCase, 'system-out').text).toContain(
      'status: skipped (the target uses no database)',
    );
  });

  it('fails on the failed checks only, listing the first duplicates and violations under theirs', () => {
    const failure = only(botCase, 'failure');
    expect(failure.attrs.message).toBe(
      'failed checks: invariants_hold, no_duplicate_orders, respects_retry_after',
    );
    expect(failure.text).not.toContain('watchdog');
    expect(failure.text).toContain(
      [
        'no_duplicate_orders: 2 duplicate order(s) among 40 the venue accepted; 1 answer(s) lost after the venue executed the order',
        '  - blind resend BTCUSDT BUY LIMIT 0.01 @ 50000: order 101 (client id bot-101) at 02:00:04.000, ' +
          'again as order 102 (client id bot-102) at 02:00:09.500; first answer lost: timed out, no answer',
        '  - client order id reused ETHUSDT: order 110 (client id bot-110) at 02:00:12.000, ' +
          'again as order 111 (client id bot-110) at 02:00:12.400',
        'respects_retry_after: 1 request(s) sent inside 3 Retry-After window(s); no ban (418)',
        '  - POST /api/v3/order at 02:00:06.350, 350 ms into a 2 s Retry-After (429 answered at 02:00:06.000, request req-51)',
      ].join('\n'),
    );
  });

  it('names the system under test, its intents and its skipped checks in system-out', () => {
    const out = only(botCase, 'system-out').text;
    expect(out).toContain(
      'system under test: external bot: python3 bot.py --symbol BTCUSDT && echo <done> (ran until stopped; exited with signal SIGTERM)',
    );
    expect(out).toContain(
      'intents: 41 reported, 40 venue orders (1 without an intent, 1 placed twice; 2 never placed)',
    );
    expect(out).toContain(
      'watchdog_alerts_fired: skipped: the target has no watchdog this tool can read (no CHAOS_EVENT log)',
    );
  });

  it('passes a scenario whose only unpassed checks were skipped', () => {
    const skippedOnly = passing({
      checks: [
        ...passing().checks.filter((check) => !check.name.startsWith('watchdog')),
        { name: 'watchdog_alerts_fired', passed: false, skipped: true, detail: 'skipped: no log' },
      ],
    });
    const xml = parseXml(chaosJunitXml(summaryOf([skippedOnly]), [skippedOnly]));
    const one = only(xml, 'testsuite');
    expect(one.attrs).toMatchObject({ tests: '1', failures: '0', errors: '0', skipped: '0' });
    expect(childrenNamed(only(one, 'testcase'), 'failure')).toEqual([]);
  });

  it('lists only the first few findings, then how many more', () => {
    const listed = bot.duplicates?.listed ?? [];
    const many = passing({
      passed: false,
      checks: [{ name: 'no_duplicate_orders', passed: false, skipped: false, detail: '9 found' }],
      failed_checks: ['no_duplicate_orders'],
      duplicates: { ...bot.duplicates!, total: 9, listed: [...listed, ...listed, ...listed] },
    });
    const xml = parseXml(chaosJunitXml(summaryOf([many]), [many]));
    const text = only(only(only(xml, 'testsuite'), 'testcase'), 'failure').text.split('\n');
    expect(text).toHaveLength(1 + 3 + 1);
    expect(text[4]).toBe('  - … and 6 more');
  });
});

// ---- load ----

describe('loadJunitXml', () => {
  it('writes one testcase per SLA line, failing the missed ones with value and threshold', () => {
    const suite = only(parseXml(loadJunitXml(closedLoadReport())), 'testsuite');
    expect(suite.attrs).toMatchObject({
      name: 'n1v1-load',
      tests: '4',
      failures: '2',
      errors: '0',
    });
    expect(suite.attrs.timestamp).toBe('2024-03-03T04:05:06');
    const cases = childrenNamed(suite, 'testcase');
    expect(cases.map((c) => c.attrs.name)).toEqual([
      'p95_latency_ms',
      'failure_rate',
      'throughput_per_second',
      'invariants',
    ]);
    expect(childrenNamed(cases[0] as Node, 'failure')).toEqual([]);
    expect(only(cases[1] as Node, 'failure').attrs.message).toBe('5%, required <= 0.5%');
    expect(only(cases[2] as Node, 'failure').attrs.message).toBe('19.1/s, required >= 100/s');
    expect(only(cases[2] as Node, 'failure').text).toBe('throughput_per_second detail');
  });

  it('adds a run error when the load run did not complete', () => {
    const aborted = closedLoadReport({
      test_run: {
        ...closedLoadReport().test_run,
        status: 'aborted',
        error: 'interrupted by SIGINT',
      },
    });
    const suite = only(parseXml(loadJunitXml(aborted)), 'testsuite');
    expect(suite.attrs).toMatchObject({ tests: '5', failures: '2', errors: '1' });
    const run = childrenNamed(suite, 'testcase').find((c) => c.attrs.name === 'run') as Node;
    expect(only(run, 'error').attrs.message).toBe('interrupted by SIGINT');
  });
});

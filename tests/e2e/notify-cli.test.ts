import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/chaos/index.js';
import { scratchDir } from '../support/chaos-run.js';
import { runCli } from '../support/cli.js';
import { result, T0, writeLoadFile, writeRun } from '../support/report-fixtures.js';
import { deadPort, startRecorder, type WebhookRecorder } from '../support/webhook-recorder.js';

const scratch = scratchDir();
const chaosRun = (tag: string, results: ScenarioResult[]) =>
  writeRun(join(scratch(), tag), results);
const loadFile = () => writeLoadFile(scratch());

let hook: WebhookRecorder;
let failedRun: string;
beforeAll(async () => {
  hook = await startRecorder();
  failedRun = await chaosRun('failed', [
    result('network_partition', 12.5),
    result('rate_limit_flood', 52, ['sla_met', 'invariants_hold']),
  ]);
});
afterAll(() => hook.close());
beforeEach(() => {
  hook.requests.length = 0;
  hook.script();
});

/** The one JSON body the webhook received. */
function body(): Record<string, unknown> {
  expect(hook.requests).toHaveLength(1);
  expect(hook.requests[0]!.method).toBe('POST');
  return hook.requests[0]!.json as Record<string, unknown>;
}

describe('n1v1 notify', () => {
  it('posts a generic JSON summary: verdict, counts, failed checks, recovery times, time, seed', async () => {
    const { code, stdout, stderr } = await runCli(['notify', failedRun, '--webhook', hook.url]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('notified generic webhook');
    const { alert } = body() as { alert: Record<string, unknown> };
    expect(alert['title']).toBe('Chaos run FAIL: 1/2 scenarios passed');
    expect(alert['severity']).toBe('critical');
    expect(alert['message']).toContain('PASS network_partition: recovery 12.5 s (SLA 30 s)');
    expect(alert['message']).toContain(
      'FAIL rate_limit_flood: sla_met, invariants_hold; recovery 52 s',
    );
    expect(alert['chaosScenario']).toBe('rate_limit_flood');
    expect(alert['failureType']).toBe('chaos_rate_limit');
    expect(alert['fields']).toMatchObject({
      Verdict: 'FAIL',
      Passed: '1/2',
      Seed: '7',
      Run: new Date(T0 + 80_000).toISOString(),
    });
  });

  it('posts a Discord embed, coloured by the verdict', async () => {
    const passedRun = await chaosRun('passed', [result('network_partition', 12.5)]);
    const { code, stderr } = await runCli([
      'notify',
      passedRun,
      '--webhook',
      hook.url,
      '--kind',
      'discord',
    ]);
    expect(code, stderr).toBe(0);
    const { username, embeds } = body() as { username: string; embeds: Record<string, unknown>[] };
    expect(username).toBeTruthy();
    expect(embeds).toHaveLength(1);
    expect(embeds[0]).toMatchObject({
      title: 'Chaos run PASS: 1/1 scenarios passed',
      color: 0x3498db,
      timestamp: new Date(T0 + 80_000).toISOString(),
    });
    expect(embeds[0]!['fields']).toContainEqual({ name: 'Verdict', value: 'PASS', inline: true });
    // A run's verdict, not a failure: no component, failure type or confidence.
    const names = (embeds[0]!['fields'] as Array<{ name: string }>).map((field) => field.name);
    expect(names).not.toContain('Component');
    expect(names).not.toContain('Confidence');
  });

  it('posts a Slack message with text and blocks', async () => {
    const { code, stderr } = await runCli([
      'notify',
      failedRun,
      '--webhook',
      hook.url,
      '--kind',
      'slack',
    ]);
    expect(code, stderr).toBe(0);
    const { text, blocks } = body() as { text: string; blocks: { type: string }[] };
    expect(text).toContain('Chaos run FAIL: 1/2 scenarios passed');
    expect(blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(JSON.stringify(blocks)).toContain('rate_limit_flood: sla_met, invariants_hold');
  });

  it("posts a load results file's SLA verdicts", async () => {
    const { code, stderr } = await runCli(['notify', await loadFile(), '--webhook', hook.url]);
    expect(code, stderr).toBe(0);
    const { alert } = body() as { alert: { title: string; message: string; fields: object } };
    expect(alert.title).toBe('Load test FAIL: 1/2 SLAs met');
    expect(alert.message).toContain('FAIL throughput_per_second: 19 <= 100');
    expect(alert.fields).toMatchObject({ Verdict: 'FAIL', Seed: '11', 'Orders placed': '57/60' });
  });

  it('exits 1 naming the status after the retries when the webhook answers 500', async () => {
    hook.script({ status: 500, body: 'boom' });
    const { code, stderr } = await runCli(['notify', failedRun, '--webhook', hook.url]);
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(
      /^error: generic webhook at http:\/\/127\.0\.0\.1:\d+ answered 500 after 3 attempts$/,
    );
    expect(stderr).not.toContain('secret-token');
    expect(hook.requests).toHaveLength(3);
  });

  it('exits 1 when nothing listens at the webhook', async () => {
    const url = `http://127.0.0.1:${await deadPort()}/hook`;
    const { code, stderr } = await runCli(['notify', failedRun, '--webhook', url]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^error: generic webhook at .* unreachable \(ECONNREFUSED\) after 3 attempts$/m,
    );
  });

  it('exits 2 for bad flags, without echoing the URL', async () => {
    const cases: [string[], RegExp][] = [
      [[], /required option '--webhook <url>'/],
      [['--webhook', 'hooks/secret-token'], /--webhook is not a valid absolute URL/],
      [['--webhook', 'ftp://x/secret-token'], /--webhook must be http or https, not ftp/],
      [['--webhook', 'http://x/secret-token', '--kind', 'teams'], /argument 'teams' is invalid/],
    ];
    // In parallel: each is a process start, and nothing here reaches the webhook.
    const runs = await Promise.all(cases.map(([flags]) => runCli(['notify', failedRun, ...flags])));
    runs.forEach(({ code, stderr }, i) => {
      expect(code, stderr).toBe(2);
      expect(stderr).toMatch(cases[i]![1]);
      expect(stderr).not.toContain('secret-token');
    });
    expect(hook.requests).toHaveLength(0);
  }, 60_000);

  it('exits 2 naming the file for a missing path, a missing summary and a malformed report', async () => {
    const empty = join(scratch(), 'empty');
    await mkdir(empty);
    const broken = await chaosRun('broken', [result('network_partition', 1)]);
    await writeFile(join(broken, 'network_partition_report.json'), '{"scenario": 1');
    const cases = [
      [join(scratch(), 'nowhere'), 'nowhere: no such run directory or load results file'],
      [empty, join(empty, 'chaos_summary.json') + ': file is missing'],
      [broken, join(broken, 'network_partition_report.json') + ': not valid JSON'],
    ];
    const runs = await Promise.all(
      cases.map(([path]) => runCli(['notify', path!, '--webhook', hook.url])),
    );
    runs.forEach(({ code, stderr }, i) => {
      expect(code, stderr).toBe(2);
      expect(stderr).toContain(cases[i]![1]);
    });
    expect(hook.requests).toHaveLength(0);
  }, 60_000);
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chaosEvent, validateChaosEvent } from './chaos-event.js';
import { CHAOS_EVENT_MARKER, openChaosLog, parseChaosLog } from './chaos-log.js';
import type { ChaosEvent } from './model.js';

const at = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

function event(overrides: Partial<Parameters<typeof chaosEvent>[0]> = {}): ChaosEvent {
  return chaosEvent(
    {
      eventType: 'failure_detected',
      componentId: 'exchange',
      failureType: 'chaos_rate_limit',
      errorMessage: 'HTTP 429 {"code":-1003} 100% of "weight" used\nsecond line %s',
      confidence: 0.9,
      chaosScenario: 'rate_limit_flood',
      ...overrides,
    },
    () => at,
  );
}

describe('openChaosLog', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'chaos-log-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates <dir>/<runId>.log and writes one greppable line per event', async () => {
    const log = openChaosLog({ dir: join(root, 'logs'), runId: 'run-1', now: () => at });
    expect(log.path).toBe(join(root, 'logs', 'run-1.log'));
    log.write(event());
    log.write(event({ eventType: 'component_recovered', confidence: 1 }));
    await log.close();

    const lines = (await readFile(log.path, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toContain(CHAOS_EVENT_MARKER + '{');
    // Each line is JSON for log pipelines, with the event as a field and as the message.
    const record = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(record).toMatchObject({
      level: 'info',
      time: '2024-01-02T03:04:05.678Z',
      runId: 'run-1',
    });
    expect(record.chaos_event).toEqual(event());
    expect(record.msg).toBe(CHAOS_EVENT_MARKER + JSON.stringify(event()));
  });

  it('writes the fields in SPEC order whatever order the event had', async () => {
    const log = openChaosLog({ dir: root, runId: 'order' });
    const { metadata, timestamp, ...rest } = event();
    log.write({ metadata, ...rest, timestamp } as ChaosEvent);
    await log.close();
    const record = JSON.parse(await readFile(log.path, 'utf8')) as { msg: string };
    expect(record.msg).toMatch(/^CHAOS_EVENT: \{"timestamp":.*"metadata":\{.*\}\}$/);
  });

  it('has every line in the file as soon as write() returns', async () => {
    const log = openChaosLog({ dir: root, runId: 'sync' });
    log.write(event());
    expect(parseChaosLog(await readFile(log.path, 'utf8'))).toEqual([event()]);
    await log.flush();
    await log.close();
  });

  it('appends to an existing file', async () => {
    await writeFile(join(root, 'again.log'), 'not an event\n');
    const log = openChaosLog({ dir: root, runId: 'again' });
    log.write(event());
    await log.close();
    expect(parseChaosLog(await readFile(log.path, 'utf8'))).toHaveLength(1);
  });

  it('refuses invalid events and writes after close', async () => {
    const log = openChaosLog({ dir: root, runId: 'strict' });
    expect(() => log.write({ ...event(), failure_type: 'CHAOS_RATE_LIMIT' })).toThrow(/lower-case/);
    expect(() => log.write({ ...event(), confidence: 1.5 })).toThrow(/0\.\.1/);
    await log.close();
    await log.close();
    expect(() => log.write(event())).toThrow(/closed/);
    expect(await readFile(log.path, 'utf8')).toBe('');
  });
});

describe('parseChaosLog', () => {
  it('reads back what the log wrote, valid, in order', async () => {
    const root = await mkdtemp(join(tmpdir(), 'chaos-log-'));
    try {
      const log = openChaosLog({ dir: root, runId: 'round-trip' });
      const written = [
        event(),
        event({ eventType: 'alert_raised' }),
        event({ componentId: 'database' }),
      ];
      for (const e of written) log.write(e);
      await log.close();
      const parsed = parseChaosLog(await readFile(log.path, 'utf8'));
      expect(parsed).toEqual(written);
      for (const e of parsed) expect(validateChaosEvent(e)).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('reads plain seed-style lines and skips other lines', () => {
    const plain = `INFO: CHAOS_EVENT: ${JSON.stringify(event())}`;
    const text = ['{"level":"info","msg":"started"}', plain, '', 'INFO: nothing here', ''].join(
      '\r\n',
    );
    expect(parseChaosLog(text)).toEqual([event()]);
  });

  it('throws on a marked line that does not parse, naming the line', () => {
    expect(() => parseChaosLog('ok\nCHAOS_EVENT: {"timestamp":')).toThrow(/line 2/);
  });
});

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/stack/index.js';
import { parseChaosLog, type Alert, type FailureView } from '../../src/watchdog/index.js';
import { delay, eventually, fastStack } from '../support/engine-stack.js';
import { deadPort, startRecorder, type WebhookRecorder } from '../support/webhook-recorder.js';

/**
 * Alerts reach a live webhook; a dead one is said to be down once, and the
 * watchdog goes on detecting and recovering. A slow venue or database is
 * noticed by its latency against the rolling baseline, before any breaker
 * opens.
 */
describe('watchdog alerts and anomalies', () => {
  let webhook: WebhookRecorder;
  let stack: Stack;
  const detected: FailureView[] = [];
  const recovered: FailureView[] = [];

  beforeAll(async () => {
    webhook = await startRecorder();
    const dead = await deadPort();
    stack = await fastStack({
      seed: 31,
      engine: {
        watchdog: {
          notifiers: [
            { kind: 'generic', name: 'ops-webhook', url: webhook.url },
            { kind: 'slack', name: 'dead-slack', url: `http://127.0.0.1:${dead}/hook` },
          ],
        },
      },
    });
    const watchdog = stack.engine.engine!.watchdog;
    watchdog.on('detected', (failure) => detected.push(failure));
    watchdog.on('recovered', (failure) => recovered.push(failure));
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await webhook?.close();
  }, 30_000);

  it('posts alerts to the live webhook, says once that the dead one is down, and still recovers', async () => {
    await delay(1_000);
    await stack.proxyClient.addToxic('exchange', {
      type: 'http_timeout',
      attributes: { timeout: 0 },
    });
    await eventually(() => detected.length > 0, 5_000, 'a detection');
    await webhook.waitFor(1, 10_000);
    await stack.proxyClient.reset();
    await eventually(() => recovered.length > 0, 5_000, 'a recovery');
    // A second failure: the dead notifier must not be reported down again.
    await stack.proxyClient.updateProxy('exchange', { enabled: false });
    await eventually(() => detected.length > 1, 5_000, 'a second detection');
    await stack.proxyClient.reset();
    await eventually(() => recovered.length > 1, 5_000, 'a second recovery');
    await delay(500);

    const posted = webhook.requests.map((request) => (request.json as { alert: Alert }).alert);
    expect(posted[0]).toMatchObject({
      componentId: 'exchange',
      failureType: 'chaos_network_partition',
    });
    const lines = parseChaosLog(await readFile(stack.engine.chaosLogPath!, 'utf8'));
    const down = lines.filter((event) => event.event_type === 'notifier_down');
    expect(down).toHaveLength(1);
    expect(down[0]!.metadata['notifier']).toBe('dead-slack');
  }, 60_000);

  it('notices a slow venue by its latency against the baseline', async () => {
    const before = detected.length;
    await delay(12_000); // The baseline needs its warm-up samples, one a second.
    await stack.proxyClient.addToxic('exchange', {
      type: 'http_latency',
      attributes: { latency: 400 },
    });
    await eventually(() => detected.length > before, 5_000, 'a latency anomaly');
    expect(detected.at(-1)).toMatchObject({ componentId: 'exchange', failureType: 'performance' });
    await stack.proxyClient.reset();
    await eventually(() => recovered.length > 2, 5_000, 'the anomaly to clear');
  }, 60_000);

  it('notices a slow database by its commit time against the baseline', async () => {
    const before = detected.length;
    const recoveredBefore = recovered.length;
    await stack.proxyClient.addToxic('database', {
      type: 'latency',
      attributes: { latency: 400 },
    });
    await eventually(() => detected.length > before, 8_000, 'a commit-time anomaly');
    expect(detected.at(-1)).toMatchObject({ componentId: 'database', failureType: 'performance' });
    await stack.proxyClient.reset();
    await eventually(() => recovered.length > recoveredBefore, 8_000, 'the anomaly to clear');
  }, 60_000);
});

/**
 * A held event loop stops every heartbeat at once: that is one failure of
 * the engine, over when it is seen, and not a failure of each component, nor
 * of the exchange whose answers it delayed.
 */
describe('watchdog: the engine itself held', () => {
  let stack: Stack;
  const detected: FailureView[] = [];

  beforeAll(async () => {
    stack = await fastStack({
      seed: 33,
      engine: { heartbeatIntervalMs: 200, requestTimeoutMs: 3_000 },
    });
    stack.engine.engine!.watchdog.on('detected', (failure) => detected.push(failure));
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  }, 30_000);

  it('reports one engine failure for a held event loop', async () => {
    await delay(2_000);
    const before = detected.length;
    const until = Date.now() + 1_000;
    while (Date.now() < until) {
      // Hold the loop, as a long synchronous task in the engine would.
    }
    await delay(3_000);
    const after = detected.slice(before);
    expect(after.map((failure) => failure.componentId)).toEqual(['engine']);
    expect(after[0]).toMatchObject({ failureType: 'resource' });
    expect(after[0]!.reason).toMatch(/event loop was blocked for \d+ ms/);
    const status = stack.engine.engine!.watchdog.status();
    expect(status.openFailures).toEqual([]);
  }, 30_000);
});

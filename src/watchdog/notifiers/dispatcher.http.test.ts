import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../model.js';
import {
  AlertDispatcher,
  discordNotifier,
  genericNotifier,
  slackNotifier,
  type AlertDispatcherOptions,
  type DispatcherEvents,
  type Notifier,
} from './index.js';
import {
  deadPort,
  startRecorder,
  type WebhookRecorder,
} from '../../../tests/support/webhook-recorder.js';

/** The dispatcher against real loopback webhooks: retries, outages, recovery, close. */
function alert(key: string): Alert {
  return {
    key,
    severity: 'critical',
    title: key,
    message: 'm',
    componentId: 'exchange',
    failureType: 'connectivity',
    confidence: 1,
    at: Date.now(),
  };
}

const recorders: WebhookRecorder[] = [];
const dispatchers: AlertDispatcher[] = [];
afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.close()));
  await Promise.all(recorders.splice(0).map((recorder) => recorder.close()));
});

async function recorder(port?: number): Promise<WebhookRecorder> {
  const started = await startRecorder(port);
  recorders.push(started);
  return started;
}

function start(notifiers: Notifier[], options: AlertDispatcherOptions = {}) {
  const dispatcher = new AlertDispatcher(notifiers, {
    retryInitialDelayMs: 10,
    retryMaxDelayMs: 20,
    ...options,
  });
  dispatchers.push(dispatcher);
  const events: Array<{ name: keyof DispatcherEvents; payload: Record<string, unknown> }> = [];
  for (const name of ['sent', 'dropped', 'notifierDown', 'notifierRecovered'] as const) {
    dispatcher.on(name, (payload: object) => events.push({ name, payload: { ...payload } }));
  }
  const count = (name: keyof DispatcherEvents, notifier?: string) =>
    events.filter((e) => e.name === name && (!notifier || e.payload.notifier === notifier)).length;
  /** Resolves once `check` holds, re-checked on every event; rejects after 5 s (hang guard). */
  const until = (check: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const names = ['sent', 'dropped', 'notifierDown', 'notifierRecovered'] as const;
      const onEvent = () => {
        if (!check()) return;
        done();
        resolve();
      };
      const done = () => {
        clearTimeout(timer);
        for (const name of names) dispatcher.off(name, onEvent);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error('hang guard: condition not met within 5 s'));
      }, 5000);
      for (const name of names) dispatcher.on(name, onEvent);
      onEvent();
    });
  return { dispatcher, events, count, until };
}

/** Dispatches and checks it came back at once (fire and forget). */
function dispatchAll(dispatcher: AlertDispatcher, keys: string[]): void {
  const before = performance.now();
  for (const key of keys) dispatcher.dispatch(alert(key));
  expect(performance.now() - before).toBeLessThan(50);
}

const keys = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('AlertDispatcher over HTTP', () => {
  it('retries a 500, then delivers', { timeout: 10_000 }, async () => {
    const hook = await recorder();
    hook.script({ status: 500 }, { status: 204 });
    const { dispatcher, count } = start([discordNotifier({ url: hook.url })]);
    dispatchAll(dispatcher, ['x']);
    await dispatcher.flush();
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests[1]?.json).toEqual(hook.requests[0]?.json);
    expect(count('sent')).toBe(1);
    expect(count('notifierDown')).toBe(0);
    expect(dispatcher.stats().discord).toMatchObject({ sent: 1, attempts: 2, health: 'up' });
  });

  it('waits the Retry-After of a 429, then delivers', { timeout: 10_000 }, async () => {
    const hook = await recorder();
    hook.script({ status: 429, headers: { 'retry-after': '1' } }, { status: 204 });
    const { dispatcher, count } = start([slackNotifier({ url: hook.url })]);
    dispatchAll(dispatcher, ['x']);
    await dispatcher.flush();
    expect(hook.requests).toHaveLength(2);
    const waitedMs = hook.requests[1]!.atMs - hook.requests[0]!.atMs;
    expect(waitedMs).toBeGreaterThanOrEqual(900);
    expect(waitedMs).toBeLessThan(3000);
    expect(count('sent')).toBe(1);
  });

  it('caps a long Retry-After', { timeout: 10_000 }, async () => {
    const hook = await recorder();
    hook.script({ status: 429, headers: { 'retry-after': '3600' } }, { status: 204 });
    const { dispatcher, count } = start([slackNotifier({ url: hook.url })], {
      maxRetryAfterMs: 100,
    });
    dispatchAll(dispatcher, ['x']);
    await dispatcher.flush();
    expect(hook.requests[1]!.atMs - hook.requests[0]!.atMs).toBeLessThan(1000);
    expect(count('sent')).toBe(1);
  });

  it('does not retry a 400', { timeout: 10_000 }, async () => {
    const hook = await recorder();
    hook.script({ status: 400, body: '{"message":"Invalid Form Body"}' });
    const { dispatcher, events } = start([genericNotifier({ url: hook.url })]);
    dispatchAll(dispatcher, ['x']);
    await dispatcher.flush();
    expect(hook.requests).toHaveLength(1);
    const dropped = events.find((e) => e.name === 'dropped')?.payload;
    expect(dropped).toMatchObject({ reason: 'failed', error: { status: 400, retryable: false } });
  });

  it(
    'with the webhook refused: returns at once, down once, others deliver, recovers',
    { timeout: 15_000 },
    async () => {
      const port = await deadPort();
      const slack = await recorder();
      const discord = discordNotifier({ url: `http://127.0.0.1:${port}/hook` });
      const { dispatcher, count, events, until } = start(
        [discord, slackNotifier({ url: slack.url })],
        {
          retryInitialDelayMs: 200,
          retryMaxDelayMs: 400,
        },
      );
      dispatchAll(dispatcher, keys(10));
      // Slack is done while Discord is still in its backoff: the lanes do not wait on each other.
      await until(() => count('sent', 'slack') === 10);
      expect(dispatcher.stats().discord?.inFlight).toBe(10);
      await dispatcher.flush();
      expect(count('sent', 'slack')).toBe(10);
      expect(count('notifierDown')).toBe(1);
      expect(events.find((e) => e.name === 'notifierDown')?.payload).toMatchObject({
        notifier: 'discord',
        error: { code: 'NETWORK', retryable: true },
      });
      expect(dispatcher.stats().discord).toMatchObject({ health: 'down', dropped: { failed: 10 } });

      const revived = await recorder(port);
      dispatchAll(dispatcher, ['after']);
      await dispatcher.flush();
      expect(revived.requests).toHaveLength(1);
      expect(count('notifierRecovered')).toBe(1);
      expect(count('notifierDown')).toBe(1);
      expect(dispatcher.stats().discord?.health).toBe('up');
    },
  );

  it(
    'with the webhook silent: times out, down once, others deliver, recovers',
    { timeout: 15_000 },
    async () => {
      const silent = await recorder();
      silent.script('hang');
      const slack = await recorder();
      const { dispatcher, count, events, until } = start(
        [genericNotifier({ url: silent.url }), slackNotifier({ url: slack.url })],
        { attemptTimeoutMs: 150, attempts: 2 },
      );
      dispatchAll(dispatcher, keys(5));
      await until(() => count('sent', 'slack') === 5);
      expect(dispatcher.stats().generic?.inFlight).toBe(5);
      await dispatcher.flush();
      expect(silent.requests).toHaveLength(10);
      expect(count('notifierDown')).toBe(1);
      const failures = events.filter((e) => e.name === 'dropped');
      expect(failures).toHaveLength(5);
      expect(failures[0]?.payload).toMatchObject({ reason: 'failed', error: { code: 'TIMEOUT' } });

      silent.script({ status: 200 });
      dispatchAll(dispatcher, ['after']);
      await dispatcher.flush();
      expect(count('notifierRecovered', 'generic')).toBe(1);
    },
  );

  it(
    'close() aborts sends under way and leaves no timers or sockets',
    { timeout: 10_000 },
    async () => {
      const timers: NodeJS.Timeout[] = [];
      const realSetTimeout = globalThis.setTimeout;
      const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
        ...args: Parameters<typeof setTimeout>
      ) => {
        const timer = realSetTimeout(...args);
        timers.push(timer);
        return timer;
      }) as typeof setTimeout);
      try {
        const silent = await recorder();
        silent.script('hang');
        const failing = await recorder();
        failing.script({ status: 503 });
        const { dispatcher, events } = start(
          [genericNotifier({ url: silent.url }), slackNotifier({ url: failing.url })],
          { retryInitialDelayMs: 5000, retryMaxDelayMs: 5000 },
        );
        dispatchAll(dispatcher, keys(3));
        // Three sends hang, three wait out a 5 s backoff.
        await silent.waitFor(3);
        await failing.waitFor(3);
        const before = performance.now();
        await dispatcher.close();
        expect(performance.now() - before).toBeLessThan(1000);
        const closed = events.filter((e) => e.name === 'dropped' && e.payload.reason === 'closed');
        expect(closed).toHaveLength(6);
        expect(events.filter((e) => e.name === 'notifierDown')).toHaveLength(0);
        expect(dispatcher.stats().generic).toMatchObject({ inFlight: 0, dropped: { closed: 3 } });
        // The client closed its sockets itself (the servers are still up), well before
        // undici would drop idle keep-alive sockets (4 s).
        await silent.waitForNoConnections(1000);
        await failing.waitForNoConnections(1000);
        const pending = timers.filter((timer) => !isDone(timer) && !isUndiciClockTick(timer));
        expect(pending).toHaveLength(0);
      } finally {
        spy.mockRestore();
      }
    },
  );
});

function isDone(timer: NodeJS.Timeout): boolean {
  return (timer as unknown as { _destroyed: boolean })._destroyed;
}

/**
 * undici's process-wide coarse clock: one unref'd timer shared by every undici
 * user, which stops by itself once undici has no timers left. Not ours to clear.
 */
function isUndiciClockTick(timer: NodeJS.Timeout): boolean {
  const callback = (timer as unknown as { _onTimeout?: { name?: string } })._onTimeout;
  return callback?.name === 'onTick' && !timer.hasRef();
}

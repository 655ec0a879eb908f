import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../model.js';
import {
  AlertDispatcher,
  NotifierError,
  type AlertDispatcherOptions,
  type DispatcherEvents,
  type Notifier,
} from './index.js';

/** In-memory notifiers and an injected clock: no sockets, no real waiting for windows. */
function alert(key: string): Alert {
  return {
    key,
    severity: 'warning',
    title: key,
    message: 'm',
    componentId: 'c',
    failureType: 'performance',
    confidence: 0.9,
    at: 0,
  };
}

type Behaviour = (alert: Alert, signal: AbortSignal) => Promise<void>;

function memoryNotifier(name: string, behaviour: Behaviour = async () => undefined) {
  const calls: string[] = [];
  const notifier: Notifier = {
    name,
    kind: 'generic',
    send: (sent, signal) => {
      calls.push(sent.key);
      return behaviour(sent, signal);
    },
  };
  return { notifier, calls };
}

const dispatchers: AlertDispatcher[] = [];
afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.close()));
});

function start(notifiers: Notifier[], options: AlertDispatcherOptions = {}) {
  let nowMs = 0;
  const dispatcher = new AlertDispatcher(notifiers, {
    now: () => nowMs,
    retryInitialDelayMs: 1,
    retryMaxDelayMs: 2,
    ...options,
  });
  dispatchers.push(dispatcher);
  const events: Array<{ name: keyof DispatcherEvents; payload: unknown }> = [];
  for (const name of ['sent', 'dropped', 'notifierDown', 'notifierRecovered'] as const) {
    dispatcher.on(name, (payload: unknown) => events.push({ name, payload }));
  }
  const advance = (ms: number) => (nowMs += ms);
  const count = (name: keyof DispatcherEvents) => events.filter((e) => e.name === name).length;
  return { dispatcher, events, advance, count };
}

const rejected = () => Promise.reject(new NotifierError('REJECTED', 'no', { status: 400 }));
const serverError = () => Promise.reject(new NotifierError('SERVER', 'no', { status: 500 }));

describe('AlertDispatcher limits', () => {
  it('sends the same key once per window', { timeout: 5000 }, async () => {
    const { notifier, calls } = memoryNotifier('a');
    const { dispatcher, advance, events } = start([notifier]);
    dispatcher.dispatch(alert('x'));
    advance(59_999);
    dispatcher.dispatch(alert('x'));
    dispatcher.dispatch(alert('y'));
    advance(1);
    dispatcher.dispatch(alert('x'));
    await dispatcher.flush();
    expect(calls).toEqual(['x', 'y', 'x']);
    expect(events.find((e) => e.name === 'dropped')?.payload).toMatchObject({
      notifier: 'a',
      reason: 'duplicate',
      alert: { key: 'x' },
    });
    expect(dispatcher.stats().a).toMatchObject({ sent: 3, dropped: { duplicate: 1 } });
  });

  it('lets a key through again once its delivery failed', { timeout: 5000 }, async () => {
    const { notifier, calls } = memoryNotifier('a', rejected);
    const { dispatcher } = start([notifier]);
    dispatcher.dispatch(alert('x'));
    await dispatcher.flush();
    dispatcher.dispatch(alert('x'));
    await dispatcher.flush();
    expect(calls).toEqual(['x', 'x']);
  });

  it('drops and counts alerts beyond the rate limit, per notifier', { timeout: 5000 }, async () => {
    const a = memoryNotifier('a');
    const b = memoryNotifier('b');
    const { dispatcher, advance } = start([a.notifier, b.notifier], { rateLimitMax: 20 });
    for (let i = 0; i < 25; i++) dispatcher.dispatch(alert(`k${i}`));
    await dispatcher.flush();
    expect(a.calls).toHaveLength(20);
    expect(b.calls).toHaveLength(20);
    expect(dispatcher.stats().a).toMatchObject({ sent: 20, dropped: { rate_limited: 5 } });
    advance(60_000);
    dispatcher.dispatch(alert('later'));
    await dispatcher.flush();
    expect(a.calls.at(-1)).toBe('later');
  });

  it('defaults to 60 s, 20 a minute, 5 s per try and 3 tries', async () => {
    const { DISPATCHER_DEFAULTS } = await import('./index.js');
    expect(DISPATCHER_DEFAULTS).toMatchObject({
      dedupeWindowMs: 60_000,
      rateLimitMax: 20,
      rateLimitWindowMs: 60_000,
      attemptTimeoutMs: 5000,
      attempts: 3,
    });
  });
});

describe('AlertDispatcher delivery', () => {
  it(
    'retries retryable errors up to the attempts, then drops once',
    { timeout: 5000 },
    async () => {
      const { notifier, calls } = memoryNotifier('a', serverError);
      const { dispatcher, events } = start([notifier], { attempts: 3 });
      dispatcher.dispatch(alert('x'));
      await dispatcher.flush();
      expect(calls).toEqual(['x', 'x', 'x']);
      const dropped = events.filter((e) => e.name === 'dropped');
      expect(dropped).toHaveLength(1);
      expect(dropped[0]?.payload).toMatchObject({ reason: 'failed', error: { code: 'SERVER' } });
      expect(dispatcher.stats().a).toMatchObject({
        attempts: 3,
        health: 'down',
        lastError: { code: 'SERVER', status: 500 },
      });
    },
  );

  it('does not retry what is not retryable, nor foreign errors', { timeout: 5000 }, async () => {
    const a = memoryNotifier('a', rejected);
    const b = memoryNotifier('b', () => {
      throw new TypeError('bug');
    });
    const { dispatcher, events } = start([a.notifier, b.notifier]);
    dispatcher.dispatch(alert('x'));
    await dispatcher.flush();
    expect(a.calls).toHaveLength(1);
    expect(b.calls).toHaveLength(1);
    const codes = events.map((e) => (e.payload as { error?: NotifierError }).error?.code);
    expect(codes).toContain('UNKNOWN');
  });

  it(
    'abandons a send that ignores its signal at the attempt timeout',
    { timeout: 5000 },
    async () => {
      const { notifier } = memoryNotifier('a', () => new Promise<void>(() => undefined));
      const { dispatcher, events } = start([notifier], { attemptTimeoutMs: 20, attempts: 2 });
      const before = performance.now();
      dispatcher.dispatch(alert('x'));
      expect(performance.now() - before).toBeLessThan(20);
      await dispatcher.flush();
      expect(events.at(-1)?.payload).toMatchObject({
        reason: 'failed',
        error: { code: 'TIMEOUT' },
      });
    },
  );

  it('reports down once and recovered once', { timeout: 5000 }, async () => {
    let healthy = false;
    const { notifier } = memoryNotifier('a', () => (healthy ? Promise.resolve() : rejected()));
    const { dispatcher, count, events } = start([notifier]);
    for (let i = 0; i < 5; i++) dispatcher.dispatch(alert(`k${i}`));
    await dispatcher.flush();
    expect(count('notifierDown')).toBe(1);
    expect(events.find((e) => e.name === 'notifierDown')?.payload).toMatchObject({
      notifier: 'a',
      error: { code: 'REJECTED' },
    });
    healthy = true;
    for (let i = 5; i < 8; i++) dispatcher.dispatch(alert(`k${i}`));
    await dispatcher.flush();
    expect(count('notifierRecovered')).toBe(1);
    expect(count('sent')).toBe(3);
    expect(dispatcher.stats().a?.health).toBe('up');
  });

  it('survives listeners that throw', { timeout: 5000 }, async () => {
    const { notifier, calls } = memoryNotifier('a');
    const { dispatcher } = start([notifier]);
    dispatcher.on('dropped', () => {
      throw new Error('listener bug');
    });
    dispatcher.on('sent', () => {
      throw new Error('listener bug');
    });
    dispatcher.dispatch(alert('x'));
    expect(() => dispatcher.dispatch(alert('x'))).not.toThrow();
    await dispatcher.flush();
    expect(calls).toEqual(['x']);
  });

  it('drops as closed after close()', { timeout: 5000 }, async () => {
    const { notifier, calls } = memoryNotifier('a');
    const { dispatcher, events } = start([notifier]);
    await dispatcher.close();
    await dispatcher.close();
    dispatcher.dispatch(alert('x'));
    expect(calls).toEqual([]);
    expect(events[0]?.payload).toMatchObject({ reason: 'closed' });
  });

  it('refuses bad options and duplicate names', () => {
    const { notifier } = memoryNotifier('a');
    expect(() => new AlertDispatcher([notifier, notifier])).toThrow(/unique/);
    expect(() => new AlertDispatcher([notifier], { attempts: 0 })).toThrow(/attempts/);
    expect(() => new AlertDispatcher([notifier], { attempts: 1.5 })).toThrow(/integer/);
  });
});

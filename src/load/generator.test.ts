import { describe, expect, it } from 'vitest';
import type { OrderIntent } from '../engine/index.js';
import type { OrderReceipt } from '../stack/index.js';
import { loadConfig, type LoadConfig } from './config.js';
import { BACKLOG_LIMIT, driveClosed, driveOpen, type Drive, type Placer } from './generator.js';
import { OrderFlow } from './order-flow.js';
import { LoadRecorder } from './recorder.js';

// These tests run the generator against a stand-in engine on real timers: they
// check its scheduling and bookkeeping, not an engine. Each one is bounded to
// well under two seconds.

interface Call {
  intent: OrderIntent;
  /** Date.now() when the generator handed the intent over. */
  at: number;
}

/**
 * A placer that answers `placed` after `delayMs` (0: at once, in a microtask),
 * or, while held, only when released. It tracks what a real engine would see.
 */
function fakeEngine(options: { delayMs?: number; held?: boolean } = {}) {
  const delayMs = options.delayMs ?? 0;
  let held = options.held ?? false;
  const waiting: Array<() => void> = [];
  const inFlight = new Map<string, number>();
  const engine = {
    calls: [] as Call[],
    answered: 0,
    /** The most orders one strategy had out at once. */
    maxInFlight: new Map<string, number>(),
    get outstanding(): number {
      return engine.calls.length - engine.answered;
    },
    release(): void {
      held = false;
      for (const answer of waiting.splice(0)) answer();
    },
    place: ((intent) => {
      engine.calls.push({ intent, at: Date.now() });
      const out = (inFlight.get(intent.strategyId) ?? 0) + 1;
      inFlight.set(intent.strategyId, out);
      engine.maxInFlight.set(
        intent.strategyId,
        Math.max(out, engine.maxInFlight.get(intent.strategyId) ?? 0),
      );
      return new Promise<OrderReceipt>((resolve) => {
        const answer = () => {
          inFlight.set(intent.strategyId, inFlight.get(intent.strategyId)! - 1);
          engine.answered += 1;
          resolve({ kind: 'placed', ackAt: Date.now(), detail: null });
        };
        if (held) waiting.push(answer);
        else if (delayMs === 0) queueMicrotask(answer);
        else setTimeout(answer, delayMs);
      });
    }) as Placer,
  };
  return engine;
}

function flows(count: number): OrderFlow[] {
  return Array.from(
    { length: count },
    (_, i) => new OrderFlow({ id: `s${i + 1}`, symbols: ['BTC/USDT', 'ETH/USDT'] }),
  );
}

function driveOf(
  config: LoadConfig,
  engine: ReturnType<typeof fakeEngine>,
  extra: Partial<Drive> = {},
): Drive {
  const startedAt = extra.startedAt ?? Date.now();
  const strategyFlows = flows(config.strategies);
  return {
    config,
    flows: strategyFlows,
    place: engine.place,
    recorder: new LoadRecorder(
      strategyFlows.map((flow) => flow.strategy.id),
      startedAt,
      extra.now,
    ),
    startedAt,
    signal: new AbortController().signal,
    ...extra,
  };
}

function waitMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('OrderFlow', () => {
  it('cycles through the symbols, each alternating BUY and SELL', () => {
    const flow = new OrderFlow({ id: 's1', symbols: ['BTC/USDT', 'ETH/USDT'] });
    const intents = Array.from({ length: 6 }, (_, i) => flow.intent(1_000 + i));
    expect(intents.map((intent) => `${intent.symbol} ${intent.side}`)).toEqual([
      'BTC/USDT BUY',
      'ETH/USDT BUY',
      'BTC/USDT SELL',
      'ETH/USDT SELL',
      'BTC/USDT BUY',
      'ETH/USDT BUY',
    ]);
    expect(intents[0]).toEqual({
      strategyId: 's1',
      symbol: 'BTC/USDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.001',
      price: null,
      timeInForce: null,
      intendedAt: 1_000,
    });
    expect(intents[1]!.quantity).toBe('0.01');
    expect(intents[5]!.intendedAt).toBe(1_005);
  });

  it('trades only the symbols it knows', () => {
    const flow = new OrderFlow({ id: 's2', symbols: ['XRP/USDT', 'ETH/USDT'] });
    const intents = Array.from({ length: 3 }, () => flow.intent(0));
    expect(intents.map((intent) => `${intent.symbol} ${intent.side}`)).toEqual([
      'ETH/USDT BUY',
      'ETH/USDT SELL',
      'ETH/USDT BUY',
    ]);
  });

  it('refuses a strategy with no symbol it knows', () => {
    expect(() => new OrderFlow({ id: 's3', symbols: ['XRP/USDT'] })).toThrow(/strategy s3/);
    expect(() => new OrderFlow({ id: 's4', symbols: [] })).toThrow(/BTC\/USDT/);
  });
});

describe('driveClosed', () => {
  it('sends strategies × orders per burst × bursts, never more than the cap in flight', async () => {
    const config = loadConfig({
      strategies: 3,
      ordersPerBurst: 5,
      bursts: 3,
      burstIntervalS: 0.02,
      maxConcurrentOrders: 2,
      durationS: 10,
    });
    const engine = fakeEngine({ delayMs: 3 });
    const drive = driveOf(config, engine);
    await driveClosed(drive);
    expect(engine.calls).toHaveLength(45);
    expect(engine.answered).toBe(45);
    expect(drive.recorder.intents).toBe(45);
    expect(drive.recorder.placed).toBe(45);
    for (const stats of drive.recorder.strategyStats())
      expect(stats).toMatchObject({ intents: 15, placed: 15, failed: 0 });
    // The cap was reached and never passed.
    expect([...engine.maxInFlight.values()]).toEqual([2, 2, 2]);
  });

  it('sends one at a time by default, each order after the previous answer', async () => {
    const config = loadConfig({ strategies: 2, ordersPerBurst: 4, bursts: 1, durationS: 10 });
    const engine = fakeEngine({ delayMs: 2 });
    await driveClosed(driveOf(config, engine));
    expect(engine.calls).toHaveLength(8);
    expect([...engine.maxInFlight.values()]).toEqual([1, 1]);
  });

  it('starts bursts when due and none after the duration', async () => {
    // Bursts due at 0, 200, 400, 600 … ms; the duration ends at 500 ms.
    const config = loadConfig({
      strategies: 2,
      ordersPerBurst: 2,
      bursts: 10,
      burstIntervalS: 0.2,
      durationS: 0.5,
    });
    const engine = fakeEngine({ delayMs: 1 });
    const drive = driveOf(config, engine);
    await driveClosed(drive);
    expect(engine.calls).toHaveLength(2 * 2 * 3);
    for (const strategy of ['s1', 's2']) {
      const sends = engine.calls.filter((call) => call.intent.strategyId === strategy);
      const bursts = [sends[0]!, sends[2]!, sends[4]!].map((call) => call.at - drive.startedAt);
      expect(bursts[0]!).toBeLessThan(100);
      expect(bursts[1]!).toBeGreaterThanOrEqual(199);
      expect(bursts[2]!).toBeGreaterThanOrEqual(399);
      expect(bursts[2]!).toBeLessThan(500);
    }
  });

  it('spreads the strategies over the ramp-up', async () => {
    const config = loadConfig({
      strategies: 2,
      ordersPerBurst: 1,
      bursts: 1,
      rampUpS: 0.2,
      durationS: 10,
    });
    const engine = fakeEngine();
    const drive = driveOf(config, engine);
    await driveClosed(drive);
    const [first, second] = engine.calls;
    expect(first!.intent.strategyId).toBe('s1');
    expect(first!.at - drive.startedAt).toBeLessThan(80);
    expect(second!.intent.strategyId).toBe('s2');
    expect(second!.at - drive.startedAt).toBeGreaterThanOrEqual(99);
  });

  it('stops sending when aborted, and sees every order sent to its outcome', async () => {
    const config = loadConfig({
      strategies: 2,
      ordersPerBurst: 1_000,
      bursts: 5,
      burstIntervalS: 10,
      maxConcurrentOrders: 2,
      durationS: 60,
    });
    const engine = fakeEngine({ delayMs: 5 });
    const controller = new AbortController();
    const drive = driveOf(config, engine, { signal: controller.signal });
    let sentAtAbort = -1;
    setTimeout(() => {
      sentAtAbort = engine.calls.length;
      controller.abort();
    }, 60);
    const started = Date.now();
    await driveClosed(drive);
    // Returned promptly, though the next burst was due in 10 s.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(sentAtAbort).toBeGreaterThan(0);
    expect(engine.calls.length).toBe(sentAtAbort);
    expect(engine.calls.length).toBeLessThan(2_000);
    // Nothing left at the engine, and every order settled in the recorder.
    expect(engine.outstanding).toBe(0);
    expect(drive.recorder.intents).toBe(engine.calls.length);
    expect(drive.recorder.placed).toBe(engine.calls.length);
  });

  it('sends nothing when aborted before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    const engine = fakeEngine();
    await driveClosed(driveOf(loadConfig({ quick: true }), engine, { signal: controller.signal }));
    expect(engine.calls).toHaveLength(0);
  });
});

describe('driveOpen', () => {
  it('sends rate × duration arrivals on schedule, round robin over the strategies', async () => {
    const config = loadConfig({ strategies: 2, rate: 200, durationS: 0.5, maxConcurrentOrders: 5 });
    const engine = fakeEngine({ delayMs: 2 });
    const drive = driveOf(config, engine);
    await driveOpen(drive);
    const elapsed = Date.now() - drive.startedAt;
    expect(engine.calls).toHaveLength(100);
    expect(drive.recorder.intents).toBe(100);
    expect(drive.recorder.placed).toBe(100);
    expect(drive.recorder.dropped).toBe(0);
    // The last arrival is due at 495 ms.
    expect(elapsed).toBeGreaterThanOrEqual(495);
    expect(elapsed).toBeLessThan(1_500);
    const byIntent = [...engine.calls].sort((a, b) => a.intent.intendedAt - b.intent.intendedAt);
    byIntent.forEach((call, n) => {
      // Intended every 5 ms from the start, the n-th to strategy n mod 2 …
      expect(call.intent.intendedAt - drive.startedAt).toBeCloseTo(n * 5, 6);
      expect(call.intent.strategyId).toBe(n % 2 === 0 ? 's1' : 's2');
      // … and never sent before its time.
      expect(call.at).toBeGreaterThanOrEqual(Math.floor(call.intent.intendedAt));
    });
    expect(drive.recorder.strategyStats().map((stats) => stats.intents)).toEqual([50, 50]);
  });

  it('follows the ramp-up: few arrivals early, more later', async () => {
    const config = loadConfig({
      strategies: 1,
      rate: 200,
      rampUpS: 0.4,
      durationS: 0.1,
      maxConcurrentOrders: 10,
    });
    const engine = fakeEngine();
    const drive = driveOf(config, engine);
    await driveOpen(drive);
    // 200/s · (0.4/2 + 0.1) = 60 arrivals; 200·0.2²/(2·0.4) = 10 in the first 200 ms.
    expect(engine.calls).toHaveLength(60);
    const early = engine.calls.filter((call) => call.intent.intendedAt - drive.startedAt < 200);
    expect(early).toHaveLength(10);
  });

  it('makes arrivals wait for a slow engine, counts them late, and accounts for all', async () => {
    // 100 arrivals/s for 0.3 s against an engine that takes 15 ms an order, one
    // at a time: a backlog builds, far below the limit, and is still there when
    // the schedule ends.
    const config = loadConfig({ strategies: 1, rate: 100, durationS: 0.3, maxConcurrentOrders: 1 });
    const engine = fakeEngine({ delayMs: 15 });
    const drive = driveOf(config, engine);
    await driveOpen(drive);
    const { recorder } = drive;
    expect(engine.maxInFlight.get('s1')).toBe(1);
    expect(engine.outstanding).toBe(0);
    // Every arrival was sent once its turn came, none dropped, all placed.
    expect(recorder.intents).toBe(30);
    expect(engine.calls).toHaveLength(30);
    expect(recorder.dropped).toBe(0);
    expect(recorder.placed).toBe(30);
    // Sent after the schedule's end at 290 ms: the backlog drained after it.
    expect(Math.max(...engine.calls.map((call) => call.at)) - drive.startedAt).toBeGreaterThan(300);
    expect(recorder.late).toBeGreaterThan(0);
    // Those that waited were sent in order of their intended time, late.
    const intended = engine.calls.map((call) => call.intent.intendedAt);
    expect(intended).toEqual([...intended].sort((a, b) => a - b));
    // Late means sent more than 10 ms after the intended time (a ms of slack:
    // the recorder and this engine read the clock a moment apart).
    const waitedMoreThan = (ms: number) =>
      engine.calls.filter((call) => call.at - call.intent.intendedAt > ms).length;
    expect(recorder.late).toBeGreaterThanOrEqual(waitedMoreThan(11));
    expect(recorder.late).toBeLessThanOrEqual(waitedMoreThan(9));
  });

  it('drops arrivals beyond the backlog limit, and the backlog when stopped', async () => {
    expect(BACKLOG_LIMIT).toBe(1_000);
    // A clock stopped 1 s into a 2 s schedule at 1500/s: arrivals 0..1500 are due,
    // the rest never are. The engine holds its first order: one out, 1000 wait,
    // 500 are dropped.
    const startedAt = Date.now();
    const config = loadConfig({ strategies: 1, rate: 1_500, durationS: 2, maxConcurrentOrders: 1 });
    const engine = fakeEngine({ held: true });
    const controller = new AbortController();
    const drive = driveOf(config, engine, {
      startedAt,
      now: () => startedAt + 1_000,
      signal: controller.signal,
    });
    const done = driveOpen(drive);
    await waitMs(100);
    expect(engine.calls).toHaveLength(1);
    expect(drive.recorder.dropped).toBe(500);
    expect(drive.recorder.intents).toBe(501);
    // Stopped: the 1000 waiting are never sent, the one out still settles.
    controller.abort();
    await waitMs(80);
    expect(drive.recorder.dropped).toBe(1_500);
    engine.release();
    await done;
    expect(engine.calls).toHaveLength(1);
    expect(drive.recorder.intents).toBe(1_501);
    expect(drive.recorder.placed).toBe(1);
    expect(drive.recorder.failures()).toEqual({ dropped: 1_500 });
    expect(drive.recorder.strategyStats()[0]).toMatchObject({
      intents: 1_501,
      placed: 1,
      failed: 1_500,
    });
  });

  it('stops sending when aborted, and sees every order sent to its outcome', async () => {
    const config = loadConfig({ strategies: 2, rate: 200, durationS: 5, maxConcurrentOrders: 2 });
    const engine = fakeEngine({ delayMs: 5 });
    const controller = new AbortController();
    const drive = driveOf(config, engine, { signal: controller.signal });
    let sentAtAbort = -1;
    setTimeout(() => {
      sentAtAbort = engine.calls.length;
      controller.abort();
    }, 100);
    await driveOpen(drive);
    expect(Date.now() - drive.startedAt).toBeLessThan(1_000);
    expect(sentAtAbort).toBeGreaterThan(0);
    expect(engine.calls.length).toBe(sentAtAbort);
    expect(engine.calls.length).toBeLessThan(1_000);
    expect(engine.outstanding).toBe(0);
    expect(drive.recorder.placed).toBe(engine.calls.length);
    expect(drive.recorder.intents).toBe(engine.calls.length + drive.recorder.dropped);
  });

  // A strategy's backlog is sent as slots free, also after the last arrival.
  it('sends what waits in the backlog when the schedule ends', async () => {
    // A clock stopped past the end of a 1 s schedule at 1500/s: all 1500 are due
    // at once. The engine holds its first order until the schedule has been
    // walked: one out, 1000 wait, 499 dropped. Once released it answers at once.
    const startedAt = Date.now();
    const config = loadConfig({ strategies: 1, rate: 1_500, durationS: 1, maxConcurrentOrders: 1 });
    const engine = fakeEngine({ held: true });
    const drive = driveOf(config, engine, { startedAt, now: () => startedAt + 5_000 });
    const done = driveOpen(drive);
    await waitMs(100);
    engine.release();
    await done;
    expect(drive.recorder.intents).toBe(1_500);
    expect(drive.recorder.dropped).toBe(499);
    expect(engine.calls).toHaveLength(1_001);
    expect(drive.recorder.placed).toBe(1_001);
  });
  // Stopped after the last arrival while a backlog still drains: what waits
  // must count as dropped, or it would vanish from the intents and the failure rate.
  it('counts the backlog as dropped when stopped after the last arrival', async () => {
    // As above: all 1500 due at once; one out, 1000 wait, 499 dropped. Then
    // the run is stopped before the engine answers.
    const startedAt = Date.now();
    const config = loadConfig({ strategies: 1, rate: 1_500, durationS: 1, maxConcurrentOrders: 1 });
    const engine = fakeEngine({ held: true });
    const controller = new AbortController();
    const drive = driveOf(config, engine, {
      startedAt,
      now: () => startedAt + 5_000,
      signal: controller.signal,
    });
    const done = driveOpen(drive);
    await waitMs(100);
    expect(drive.recorder.dropped).toBe(499);
    controller.abort();
    engine.release();
    await done;
    expect(engine.calls).toHaveLength(1);
    expect(drive.recorder.placed).toBe(1);
    // Every arrival is an intent: 1 placed, 1499 dropped.
    expect(drive.recorder.intents).toBe(1_500);
    expect(drive.recorder.dropped).toBe(1_499);
  });
});

import { describe, expect, it } from 'vitest';
import type { OrderReceipt } from '../stack/index.js';
import { LoadRecorder } from './recorder.js';

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);
const LATE_MS = 10;

const REJECTED: OrderReceipt = { kind: 'rejected', ackAt: null, detail: '-2010' };
const SHED: OrderReceipt = { kind: 'shed', ackAt: null, detail: null };

/** The per-second and per-strategy histograms keep two significant digits: within 1 %. */
function expectNear(actual: number | null | undefined, expected: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(expected / 100);
}

function placedAt(ackAt: number): OrderReceipt {
  return { kind: 'placed', ackAt, detail: null };
}

/** A recorder on a clock the test moves by hand. */
function setup(strategies = ['s1', 's2']) {
  const clock = { at: T0 };
  const recorder = new LoadRecorder(strategies, T0, () => clock.at);
  /** Sends one order at `sentAt` (intended at `intendedAt`) and settles it at `settleAt`. */
  const order = (
    strategy: number,
    intendedAt: number,
    sentAt: number,
    settleAt: number,
    receipt: OrderReceipt = placedAt(settleAt),
  ) => {
    recorder.sent(strategy, intendedAt, sentAt, LATE_MS);
    clock.at = settleAt;
    recorder.settled(strategy, intendedAt, sentAt, receipt);
  };
  return { clock, recorder, order };
}

describe('LoadRecorder', () => {
  it('starts empty', () => {
    const { recorder } = setup();
    expect(recorder.intents).toBe(0);
    expect(recorder.placed).toBe(0);
    expect(recorder.failed).toBe(0);
    expect(recorder.meanLatencyMs).toBe(0);
    expect(recorder.failures()).toEqual({});
    expect(recorder.seconds()).toEqual([]);
    expect(recorder.firstSentAt).toBeUndefined();
  });

  it('counts intents, placed and failed orders', () => {
    const { recorder, order } = setup();
    order(0, T0, T0, T0 + 5);
    order(1, T0, T0, T0 + 6);
    order(0, T0, T0, T0 + 7, REJECTED);
    expect(recorder.intents).toBe(3);
    expect(recorder.placed).toBe(2);
    expect(recorder.failed).toBe(1);
    expect(recorder.firstSentAt).toBe(T0);
    expect(recorder.lastSettledAt).toBe(T0 + 7);
  });

  it('counts an order sent but not yet settled as not placed', () => {
    const { recorder } = setup();
    recorder.sent(0, T0, T0, LATE_MS);
    expect(recorder.intents).toBe(1);
    expect(recorder.failed).toBe(1);
    expect(recorder.lastSettledAt).toBeUndefined();
  });

  it('keys failures by kind and detail, or kind alone, sorted', () => {
    const { recorder, order } = setup();
    order(0, T0, T0, T0 + 1, SHED);
    order(0, T0, T0, T0 + 2, REJECTED);
    order(1, T0, T0, T0 + 3, REJECTED);
    order(1, T0, T0, T0 + 4, { kind: 'unknown', ackAt: null, detail: 'engine_exited' });
    const failures = recorder.failures();
    expect(failures).toEqual({ 'rejected:-2010': 2, shed: 1, 'unknown:engine_exited': 1 });
    expect(Object.keys(failures)).toEqual(['rejected:-2010', 'shed', 'unknown:engine_exited']);
  });

  it('counts a placed receipt without an acknowledgement time as a failure', () => {
    const { recorder, order } = setup();
    order(0, T0, T0, T0 + 1, { kind: 'placed', ackAt: null, detail: null });
    expect(recorder.placed).toBe(0);
    expect(recorder.failures()).toEqual({ placed: 1 });
    expect(recorder.latency.count).toBe(0);
  });

  it('counts a drop as an intent and a failure of type dropped', () => {
    const { clock, recorder } = setup();
    clock.at = T0 + 2_500;
    recorder.drop(1);
    recorder.drop(1);
    expect(recorder.intents).toBe(2);
    expect(recorder.dropped).toBe(2);
    expect(recorder.failed).toBe(2);
    expect(recorder.failures()).toEqual({ dropped: 2 });
    expect(recorder.strategyStats()[1]).toMatchObject({ intents: 2, placed: 0, failed: 2 });
    expect(recorder.seconds()[2]).toMatchObject({ second: 2, sent: 0, failed: 2 });
    // A dropped order was never sent.
    expect(recorder.firstSentAt).toBeUndefined();
  });

  it('counts an order late only when sent more than lateAfterMs after its intended time', () => {
    const { recorder } = setup();
    recorder.sent(0, T0, T0 + LATE_MS, LATE_MS);
    expect(recorder.late).toBe(0);
    recorder.sent(0, T0, T0 + LATE_MS + 1, LATE_MS);
    expect(recorder.late).toBe(1);
    recorder.sent(0, T0 + 100, T0 + 50, LATE_MS);
    expect(recorder.late).toBe(1);
  });

  it('measures latency from the intended time and service from the send', () => {
    const { recorder, order } = setup();
    // Intended at T0, sent 30 ms late, acknowledged 20 ms after the send.
    order(0, T0, T0 + 30, T0 + 60, placedAt(T0 + 50));
    expect(recorder.latency.percentiles().max).toBe(50);
    expect(recorder.service.percentiles().max).toBe(20);
    expect(recorder.meanLatencyMs).toBe(50);
  });

  it('averages the latency of placed orders only', () => {
    const { recorder, order } = setup();
    order(0, T0, T0, T0 + 10);
    order(0, T0, T0, T0 + 30);
    order(1, T0, T0, T0 + 1_000, REJECTED);
    expect(recorder.meanLatencyMs).toBe(20);
  });

  it('keeps a row per second: sent by send time, placed and failed by settle time', () => {
    const { recorder, order } = setup();
    // Sent in second 0, placed in second 1.
    order(0, T0 + 900, T0 + 900, T0 + 1_100);
    // Sent in second 1, failed in second 3.
    order(1, T0 + 1_500, T0 + 1_500, T0 + 3_200, REJECTED);
    const rows = recorder.seconds();
    expect(rows).toEqual([
      { second: 0, sent: 1, placed: 0, failed: 0, p95Ms: null },
      { second: 1, sent: 1, placed: 1, failed: 0, p95Ms: expect.any(Number) },
      // Nothing happened in second 2: a row of zeros fills the gap.
      { second: 2, sent: 0, placed: 0, failed: 0, p95Ms: null },
      { second: 3, sent: 0, placed: 0, failed: 1, p95Ms: null },
    ]);
    expectNear(rows[1]!.p95Ms, 200);
  });

  it('gives each second the p95 of the orders placed in it', () => {
    const { recorder, order } = setup();
    // Second 0: 1..20 ms, p95 19 ms. Second 1: 100 ms.
    for (let ms = 1; ms <= 20; ms++) order(0, T0, T0, T0 + ms);
    order(1, T0 + 1_000, T0 + 1_000, T0 + 1_100);
    const rows = recorder.seconds();
    expectNear(rows[0]!.p95Ms, 19);
    expect(rows[0]!.placed).toBe(20);
    expectNear(rows[1]!.p95Ms, 100);
    // The run's latency keeps all 21.
    expect(recorder.latency.count).toBe(21);
    expect(recorder.latency.percentiles().max).toBe(100);
  });

  // Rows read mid-run (progress) must not cut the second being collected in two.
  it("keeps a second's p95 whole when rows are read while it runs", () => {
    const { recorder, order } = setup();
    order(0, T0 + 1_000, T0 + 1_000, T0 + 1_100);
    expectNear(recorder.seconds()[1]!.p95Ms, 100);
    order(0, T0 + 1_200, T0 + 1_200, T0 + 1_210);
    // p95 of {100, 10} ms is 100 ms; the recorder says 10.
    expectNear(recorder.seconds()[1]!.p95Ms, 100);
  });

  it('gives the newest complete second for progress lines', () => {
    const { clock, recorder, order } = setup();
    order(0, T0, T0, T0 + 500);
    clock.at = T0 + 900;
    expect(recorder.lastSecond()).toBeUndefined();
    clock.at = T0 + 1_200;
    expect(recorder.lastSecond()).toMatchObject({ second: 0, sent: 1, placed: 1 });
  });

  it('keeps per-strategy counts and latencies', () => {
    const { recorder, order } = setup();
    order(0, T0, T0, T0 + 10);
    order(0, T0, T0, T0 + 20, SHED);
    order(1, T0, T0, T0 + 40);
    order(1, T0, T0, T0 + 40);
    const [first, second] = recorder.strategyStats();
    expect(first).toMatchObject({ id: 's1', intents: 2, placed: 1, failed: 1 });
    expect(first!.latencyMs.count).toBe(1);
    expectNear(first!.latencyMs.max, 10);
    expect(second).toMatchObject({ id: 's2', intents: 2, placed: 2, failed: 0 });
    expect(second!.latencyMs.count).toBe(2);
    expectNear(second!.latencyMs.p50, 40);
  });

  it('puts an order settled before the start in second 0', () => {
    const { recorder, order } = setup();
    order(0, T0 - 50, T0 - 50, T0 - 10);
    const rows = recorder.seconds();
    expect(rows).toMatchObject([{ second: 0, sent: 1, placed: 1, failed: 0 }]);
    expectNear(rows[0]!.p95Ms, 40);
  });
});

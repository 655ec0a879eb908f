import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from './latency.js';

/** Three significant digits: within one part in a thousand. */
function expectNear(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected / 1000);
}

describe('LatencyRecorder', () => {
  it('reports zeros before anything is recorded', () => {
    expect(new LatencyRecorder().percentiles()).toEqual({
      count: 0,
      p50: 0,
      p90: 0,
      p95: 0,
      p99: 0,
      p999: 0,
      max: 0,
    });
  });

  it('reports percentiles in ms to three significant digits', () => {
    const recorder = new LatencyRecorder();
    for (let ms = 1; ms <= 100; ms += 1) recorder.record(ms);
    const percentiles = recorder.percentiles();
    expect(recorder.count).toBe(100);
    expect(percentiles.count).toBe(100);
    expectNear(percentiles.p50, 50);
    expectNear(percentiles.p90, 90);
    expectNear(percentiles.p95, 95);
    expectNear(percentiles.p99, 99);
    expectNear(percentiles.p999, 100);
    expect(percentiles.max).toBe(100);
  });

  it('keeps microseconds for small latencies', () => {
    const recorder = new LatencyRecorder();
    recorder.record(1.234);
    expect(recorder.percentiles().p50).toBe(1.234);
  });

  it('counts negative latencies as zero and caps them at an hour', () => {
    const recorder = new LatencyRecorder();
    recorder.record(-5);
    expect(recorder.percentiles()).toMatchObject({ count: 1, p50: 0, max: 0 });
    recorder.record(5 * 3_600_000);
    expect(recorder.percentiles().max).toBe(3_600_000);
  });

  it('adds the samples a steady sender would have seen when correcting', () => {
    const recorder = new LatencyRecorder();
    // 100 ms against a 10 ms interval: also 90, 80, ... 10 ms.
    recorder.recordCorrected(100, 10);
    expect(recorder.count).toBe(10);
    expectNear(recorder.percentiles().p50, 50);
    expect(recorder.percentiles().max).toBe(100);
    // Within the interval nothing is missing.
    recorder.recordCorrected(5, 10);
    expect(recorder.count).toBe(11);
  });

  it('corrects after the fact exactly as while recording', () => {
    const live = new LatencyRecorder();
    const later = new LatencyRecorder();
    for (const ms of [3, 4, 250, 5, 40]) {
      live.recordCorrected(ms, 10);
      later.record(ms);
    }
    // The same samples, up to the histogram's precision (the copy works on bucket values).
    const [expected, actual] = [live.percentiles(), later.correctedPercentiles(10)];
    expect(actual.count).toBe(expected.count);
    for (const key of ['p50', 'p90', 'p95', 'p99', 'max'] as const)
      expectNear(actual[key], expected[key]);
    // The recorder itself keeps only what was measured.
    expect(later.count).toBe(5);
    expect(later.correctedPercentiles(0)).toEqual(later.percentiles());
  });

  it('keeps two significant digits when asked, within one part in a hundred', () => {
    const recorder = new LatencyRecorder({ significantDigits: 2 });
    for (let ms = 1; ms <= 1000; ms += 1) recorder.record(ms);
    const { p95 } = recorder.percentiles();
    expect(Math.abs(p95 - 950)).toBeLessThanOrEqual(9.5);
  });

  it('forgets everything on reset', () => {
    const recorder = new LatencyRecorder();
    recorder.record(3);
    recorder.reset();
    expect(recorder.count).toBe(0);
    expect(recorder.percentiles().max).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { AnomalyDetector, thresholdOf } from './anomaly.js';

const t0 = 1_700_000_000_000;

/** Feeds `values` one second apart from `start`; returns what observe() said. */
function feed(
  detector: AnomalyDetector,
  metric: string,
  values: readonly number[],
  start = t0,
): ReturnType<AnomalyDetector['observe']>[] {
  return values.map((value, i) => detector.observe('exchange', metric, value, start + i * 1000));
}

describe('AnomalyDetector', () => {
  it('judges nothing during warm-up, however wild', () => {
    const detector = new AnomalyDetector({ warmUpSamples: 5 });
    expect(feed(detector, 'latencyMs', [20, 20, 20, 20])).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(detector.baseline('exchange', 'latencyMs')).toBeUndefined();
    // The fifth sample is still learned, even at 5 s: the baseline needs something to start from.
    expect(detector.observe('exchange', 'latencyMs', 5000, t0)).toBeUndefined();
    expect(detector.baseline('exchange', 'latencyMs')).toBe(20);
    expect(detector.observe('exchange', 'latencyMs', 5000, t0)).toMatchObject({ baseline: 20 });
  });

  it('flags a value past both the factor and the floor, with the numbers', () => {
    const detector = new AnomalyDetector({ warmUpSamples: 10 });
    feed(detector, 'latencyMs', Array(10).fill(50));
    // 3 × 50 = 150 and 50 + 100 = 150: the threshold is 150 ms.
    expect(detector.observe('exchange', 'latencyMs', 149, t0 + 10_000)).toBeUndefined();
    expect(detector.observe('exchange', 'latencyMs', 150, t0 + 11_000)).toEqual({
      componentId: 'exchange',
      metric: 'latencyMs',
      value: 150,
      baseline: 50,
      threshold: 150,
      at: t0 + 11_000,
      streak: 1,
    });
  });

  it('ignores noise near zero: the factor alone is not enough', () => {
    const detector = new AnomalyDetector();
    feed(detector, 'errorRate', Array(10).fill(0.001));
    // 20 × the baseline, but only 0.019 above it: below the 0.05 floor.
    expect(detector.observe('exchange', 'errorRate', 0.02, t0)).toBeUndefined();
    expect(detector.observe('exchange', 'errorRate', 0.06, t0)).toMatchObject({
      metric: 'errorRate',
    });
  });

  it('needs the factor too: the floor alone is not enough', () => {
    const detector = new AnomalyDetector();
    feed(detector, 'latencyMs', Array(10).fill(400));
    // 200 ms above, but under 3 × 400 = 1200.
    expect(detector.observe('exchange', 'latencyMs', 600, t0)).toBeUndefined();
    expect(detector.observe('exchange', 'latencyMs', 1200, t0)).toMatchObject({ threshold: 1200 });
  });

  it('does not learn from anomalous samples: a long outage never becomes normal', () => {
    const detector = new AnomalyDetector({ windowSize: 20 });
    feed(detector, 'latencyMs', Array(20).fill(30));
    const outage = feed(detector, 'latencyMs', Array(500).fill(3000), t0 + 20_000);
    expect(outage.every((anomaly) => anomaly !== undefined)).toBe(true);
    expect(outage.at(-1)?.streak).toBe(500);
    expect(detector.baseline('exchange', 'latencyMs')).toBe(30);
    // Back to normal: the streak ends and normal samples are learned again.
    expect(detector.observe('exchange', 'latencyMs', 35, t0)).toBeUndefined();
    expect(detector.observe('exchange', 'latencyMs', 3000, t0)?.streak).toBe(1);
  });

  it('keeps a fixed window of normal samples, so old behaviour ages out', () => {
    const detector = new AnomalyDetector({ windowSize: 10, warmUpSamples: 10 });
    feed(detector, 'latencyMs', Array(10).fill(10));
    // Each step stays under 3× and +100 ms of the baseline of its time.
    feed(detector, 'latencyMs', Array(10).fill(100));
    expect(detector.baseline('exchange', 'latencyMs')).toBe(100);
  });

  it('uses the median, so single slow requests do not drag the baseline', () => {
    const detector = new AnomalyDetector({ warmUpSamples: 10 });
    feed(detector, 'latencyMs', [20, 20, 20, 20, 20, 20, 20, 20, 110, 110]);
    expect(detector.baseline('exchange', 'latencyMs')).toBe(20);
  });

  it('keeps baselines per component and metric', () => {
    const detector = new AnomalyDetector({ warmUpSamples: 3 });
    for (const at of [t0, t0 + 1, t0 + 2]) {
      detector.observe('exchange', 'latencyMs', 10, at);
      detector.observe('database', 'latencyMs', 500, at);
    }
    expect(detector.observe('database', 'latencyMs', 600, t0)).toBeUndefined();
    expect(detector.observe('exchange', 'latencyMs', 600, t0)).toMatchObject({ baseline: 10 });
    expect(detector.baseline('exchange', 'errorRate')).toBeUndefined();
  });

  it('uses given rules over the defaults, and the default rule for other metrics', () => {
    const detector = new AnomalyDetector({
      warmUpSamples: 3,
      rules: { queueDepth: { factor: 2, minExcess: 5 } },
    });
    for (const metric of ['queueDepth', 'widgets', 'latencyMs']) feed(detector, metric, [4, 4, 4]);
    expect(detector.observe('exchange', 'queueDepth', 9, t0)?.threshold).toBe(9);
    expect(detector.observe('exchange', 'widgets', 12, t0)?.threshold).toBe(12);
    expect(detector.observe('exchange', 'latencyMs', 104, t0)?.threshold).toBe(104);
  });

  it('ignores non-finite samples', () => {
    const detector = new AnomalyDetector({ warmUpSamples: 1 });
    expect(detector.observe('exchange', 'latencyMs', Number.NaN, t0)).toBeUndefined();
    expect(detector.baseline('exchange', 'latencyMs')).toBeUndefined();
  });

  it('reset() starts a warm-up again, for one metric or a whole component', () => {
    const detector = new AnomalyDetector({ warmUpSamples: 2 });
    feed(detector, 'latencyMs', [10, 10]);
    feed(detector, 'errorRate', [0, 0]);
    detector.observe('exchange:x', 'latencyMs', 10, t0);
    detector.reset('exchange', 'latencyMs');
    expect(detector.baseline('exchange', 'latencyMs')).toBeUndefined();
    expect(detector.baseline('exchange', 'errorRate')).toBe(0);
    detector.reset('exchange');
    expect(detector.baseline('exchange', 'errorRate')).toBeUndefined();
  });
});

describe('thresholdOf', () => {
  it('is the larger of factor and floor', () => {
    expect(thresholdOf(0, { factor: 3, minExcess: 0.05 })).toBe(0.05);
    expect(thresholdOf(200, { factor: 3, minExcess: 100 })).toBe(600);
  });
});

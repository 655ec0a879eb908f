import * as hdr from 'hdr-histogram-js';

export interface LatencyPercentiles {
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

/**
 * Latencies in an HDR histogram: fixed memory whatever the count, three
 * significant digits from 1 µs to one hour. Values in and out are ms.
 */
export class LatencyRecorder {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });

  /** Records one latency, ms; negative values count as zero, values beyond an hour as an hour. */
  record(latencyMs: number): void {
    const micros = Math.round(Math.max(0, latencyMs) * 1000);
    this.histogram.recordValue(Math.min(micros, 3_600_000_000));
  }

  /**
   * Records a latency measured in a closed loop where the sender waited for
   * answers, adding the samples a steady sender at `expectedIntervalMs` would
   * have seen (coordinated-omission correction).
   */
  recordCorrected(latencyMs: number, expectedIntervalMs: number): void {
    const micros = Math.min(Math.round(Math.max(0, latencyMs) * 1000), 3_600_000_000);
    this.histogram.recordValueWithExpectedInterval(micros, Math.round(expectedIntervalMs * 1000));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  percentiles(): LatencyPercentiles {
    const at = (percentile: number) => this.histogram.getValueAtPercentile(percentile) / 1000;
    return {
      count: this.histogram.totalCount,
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
      p999: at(99.9),
      max: this.histogram.maxValue / 1000,
    };
  }

  reset(): void {
    this.histogram.reset();
  }
}

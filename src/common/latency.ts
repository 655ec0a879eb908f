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

export interface LatencyRecorderOptions {
  /**
   * Significant decimal digits kept. Default 3 (0.1 % error, about 100 kB);
   * 2 (1 % error) takes a tenth of the memory, for one recorder per strategy.
   */
  significantDigits?: 2 | 3;
}

/**
 * Latencies in an HDR histogram: fixed memory whatever the count, from 1 µs
 * to one hour. Values in and out are ms.
 */
export class LatencyRecorder {
  private readonly histogram: hdr.Histogram;

  constructor(options: LatencyRecorderOptions = {}) {
    this.histogram = hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 3_600_000_000,
      numberOfSignificantValueDigits: options.significantDigits ?? 3,
    });
  }

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
    return percentilesOf(this.histogram);
  }

  /**
   * The percentiles had a closed-loop sender kept its pace of one request per
   * `expectedIntervalMs`: each recorded latency longer than that gains the
   * samples the waiting sender did not take (coordinated-omission correction
   * after the fact, for when the pace is known only at the end of a run).
   */
  correctedPercentiles(expectedIntervalMs: number): LatencyPercentiles {
    const interval = Math.round(expectedIntervalMs * 1000);
    if (interval <= 0) return this.percentiles();
    return percentilesOf(this.histogram.copyCorrectedForCoordinatedOmission(interval));
  }

  reset(): void {
    this.histogram.reset();
  }
}

function percentilesOf(histogram: hdr.Histogram): LatencyPercentiles {
  const at = (percentile: number) => histogram.getValueAtPercentile(percentile) / 1000;
  return {
    count: histogram.totalCount,
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max: histogram.maxValue / 1000,
  };
}

/** The percentiles to a thousandth of a millisecond (a microsecond), as reports store them. */
export function roundedPercentiles(p: LatencyPercentiles): LatencyPercentiles {
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    count: p.count,
    p50: round(p.p50),
    p90: round(p.p90),
    p95: round(p.p95),
    p99: round(p.p99),
    p999: round(p.p999),
    max: round(p.max),
  };
}

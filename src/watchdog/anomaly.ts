import { withDefaults } from '../common/index.js';

/** When a value is anomalous: both conditions must hold. */
export interface AnomalyRule {
  /** The value must be at least baseline × factor. */
  factor: number;
  /** …and at least baseline + minExcess, in the metric's unit, so noise near zero is not an anomaly. */
  minExcess: number;
}

export interface AnomalyDetectorOptions {
  /** Normal samples the baseline is the median of (a fixed window, per component and metric). Default 60. */
  windowSize?: number;
  /** Samples learned before anything is judged. Default 10. */
  warmUpSamples?: number;
  /** Rule of a metric without its own. Default 3× and +1 unit. */
  defaultRule?: AnomalyRule;
  /**
   * Rules by metric name, over the built-in ones: `latencyMs` 3× and +100 ms,
   * `errorRate` (0..1) 3× and +0.05.
   */
  rules?: Readonly<Record<string, AnomalyRule>>;
}

export const ANOMALY_DEFAULTS = {
  windowSize: 60,
  warmUpSamples: 10,
  defaultRule: { factor: 3, minExcess: 1 } as AnomalyRule,
  rules: {
    latencyMs: { factor: 3, minExcess: 100 },
    errorRate: { factor: 3, minExcess: 0.05 },
  } as Readonly<Record<string, AnomalyRule>>,
};

/** One anomalous sample. */
export interface Anomaly {
  componentId: string;
  metric: string;
  value: number;
  /** Median of the normal samples in the window. */
  baseline: number;
  /** The smallest value that was anomalous: max(baseline × factor, baseline + minExcess). */
  threshold: number;
  /** When the sample was taken, ms since the epoch. */
  at: number;
  /** Anomalous samples in a row, this one included: 1 at the start of an episode. */
  streak: number;
}

interface Series {
  /** Normal samples, oldest first, at most windowSize. */
  window: number[];
  streak: number;
}

/**
 * Rolling baselines per (component, metric) and the samples that stray
 * above them. The baseline is the median of the last `windowSize` normal
 * samples: a fixed window so old behaviour ages out, a median so one slow
 * request below the threshold does not drag it up. Anomalous samples are
 * not learned, so a long outage never becomes the new normal; if a level
 * shift is real, the caller says so with reset().
 */
export class AnomalyDetector {
  private readonly options: Required<AnomalyDetectorOptions>;
  private readonly series = new Map<string, Series>();

  constructor(options: AnomalyDetectorOptions = {}) {
    const merged = withDefaults(ANOMALY_DEFAULTS, options);
    this.options = {
      ...merged,
      // A baseline needs at least one sample.
      warmUpSamples: Math.max(1, merged.warmUpSamples),
      rules: { ...ANOMALY_DEFAULTS.rules, ...options.rules },
    };
  }

  /**
   * Judges one sample against the baseline, then learns it if it was normal.
   * Returns the anomaly, or undefined for a normal sample, a non-finite one
   * (ignored), or any sample during warm-up (all learned).
   */
  observe(componentId: string, metric: string, value: number, at: number): Anomaly | undefined {
    if (!Number.isFinite(value)) return undefined;
    const series = this.seriesOf(componentId, metric);
    if (series.window.length >= this.options.warmUpSamples) {
      const baseline = median(series.window);
      const threshold = thresholdOf(baseline, this.ruleOf(metric));
      if (value >= threshold) {
        series.streak += 1;
        return { componentId, metric, value, baseline, threshold, at, streak: series.streak };
      }
    }
    series.streak = 0;
    series.window.push(value);
    if (series.window.length > this.options.windowSize) series.window.shift();
    return undefined;
  }

  /** The current baseline; undefined until warm-up is over. */
  baseline(componentId: string, metric: string): number | undefined {
    const series = this.series.get(keyOf(componentId, metric));
    if (!series || series.window.length < this.options.warmUpSamples) return undefined;
    return median(series.window);
  }

  /** Forgets a baseline (or every baseline of a component): it warms up again from the next sample. */
  reset(componentId: string, metric?: string): void {
    if (metric !== undefined) {
      this.series.delete(keyOf(componentId, metric));
      return;
    }
    for (const key of [...this.series.keys()]) {
      if (key.startsWith(keyOf(componentId, ''))) this.series.delete(key);
    }
  }

  private ruleOf(metric: string): AnomalyRule {
    return this.options.rules[metric] ?? this.options.defaultRule;
  }

  private seriesOf(componentId: string, metric: string): Series {
    const key = keyOf(componentId, metric);
    let series = this.series.get(key);
    if (!series) {
      series = { window: [], streak: 0 };
      this.series.set(key, series);
    }
    return series;
  }
}

/** The smallest anomalous value: both the factor and the floor must be exceeded. */
export function thresholdOf(baseline: number, rule: AnomalyRule): number {
  return Math.max(baseline * rule.factor, baseline + rule.minExcess);
}

// A separator no component id contains, so ('a', 'b:c') and ('a:b', 'c') differ.
function keyOf(componentId: string, metric: string): string {
  return `${componentId}\u0000${metric}`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

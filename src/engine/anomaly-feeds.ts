import type { Journal } from '../journal/index.js';
import { AnomalyDetector, type Watchdog } from '../watchdog/index.js';
import type { VenueClient, VenueRequestEvent } from './connector/index.js';

/** Failures that say the venue is struggling; rejections and "not found" are answers. */
const VENUE_ERROR_KINDS = new Set(['ambiguous', 'not_sent', 'rate_limited']);

/**
 * A group commit's time swings with batch size and the collector, far more
 * than a venue round trip: only a sustained, large rise is an anomaly.
 */
const COMMIT_RULE = { factor: 5, minExcess: 250 };

/** One dependency's calls in the last second. */
interface Sample {
  calls: number;
  errors: number;
  /** Summed time of the calls that answered, ms; `answered` of them. */
  latencyTotalMs: number;
  answered: number;
}

interface Feed {
  componentId: string;
  latencyMetric: string;
  /** Anomalous seconds in a row before the watchdog is told. */
  minStreak: number;
  /** The sample since the last take, and a fresh one begun. */
  take(): Sample;
}

export interface DependencyAnomalies {
  /** Takes and judges the last second's samples; call once a second. */
  everySecond(at: number): void;
  /**
   * Drops samples until `at`: after the engine's own event loop was held,
   * every call in flight looks slow, and that is not the dependency's doing.
   */
  ignoreUntil(at: number): void;
}

/**
 * Feeds each dependency's per-second latency and error rate to rolling
 * baselines: a slow or failing exchange or database is noticed before any
 * breaker opens.
 */
export function dependencyAnomalies(
  venue: VenueClient,
  journal: Journal,
  watchdog: Watchdog,
): DependencyAnomalies {
  const detector = new AnomalyDetector({ rules: { commitMs: COMMIT_RULE } });
  const feeds = [exchangeFeed(venue), databaseFeed(journal)];
  const anomalous = new Set<string>();
  let ignoredUntil = 0;
  const ignoreUntil = (at: number) => {
    ignoredUntil = Math.max(ignoredUntil, at);
  };
  const everySecond = (at: number) => {
    for (const feed of feeds) {
      const sample = feed.take();
      if (sample.calls === 0 || at < ignoredUntil) continue;
      const latency =
        sample.answered === 0
          ? undefined
          : detector.observe(
              feed.componentId,
              feed.latencyMetric,
              sample.latencyTotalMs / sample.answered,
              at,
            );
      const errorRate = detector.observe(
        feed.componentId,
        'errorRate',
        sample.errors / sample.calls,
        at,
      );
      const anomalies = [latency, errorRate].filter((a) => a !== undefined);
      if (!anomalous.has(feed.componentId)) {
        const onset = anomalies.find((a) => a.streak >= feed.minStreak);
        if (!onset) continue;
        anomalous.add(feed.componentId);
        watchdog.onAnomaly(feed.componentId, onset.metric);
      } else if (anomalies.length === 0) {
        anomalous.delete(feed.componentId);
        watchdog.onAnomalyCleared(feed.componentId);
      }
    }
  };
  return { everySecond, ignoreUntil };
}

function exchangeFeed(venue: VenueClient): Feed {
  let sample = emptySample();
  venue.on('request', (event: VenueRequestEvent) => {
    sample.calls += 1;
    sample.answered += 1;
    sample.latencyTotalMs += event.latencyMs;
    if (!event.ok && event.failure && VENUE_ERROR_KINDS.has(event.failure.kind)) sample.errors += 1;
  });
  return {
    componentId: 'exchange',
    latencyMetric: 'latencyMs',
    minStreak: 1,
    take: () => {
      const taken = sample;
      sample = emptySample();
      return taken;
    },
  };
}

/** Group commits and their summed time come from the journal's counters; failures from its events. */
function databaseFeed(journal: Journal): Feed {
  let errors = 0;
  let last = { batches: 0, batchMsTotal: 0 };
  journal.on('databaseError', () => (errors += 1));
  return {
    componentId: 'database',
    latencyMetric: 'commitMs',
    minStreak: 2,
    take: () => {
      const { batches = 0, batchMsTotal = 0 } = journal.status();
      const answered = batches - last.batches;
      const sample = {
        calls: answered + errors,
        errors,
        answered,
        latencyTotalMs: batchMsTotal - last.batchMsTotal,
      };
      last = { batches, batchMsTotal };
      errors = 0;
      return sample;
    },
  };
}

function emptySample(): Sample {
  return { calls: 0, errors: 0, latencyTotalMs: 0, answered: 0 };
}

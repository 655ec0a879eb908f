import type { VenueClient, VenueRequestEvent } from './connector/index.js';
import { AnomalyDetector, type Watchdog } from '../watchdog/index.js';

/** Failures that say the venue is struggling; rejections and "not found" are answers. */
const ERROR_KINDS = new Set(['ambiguous', 'not_sent', 'rate_limited']);

/**
 * Feeds the exchange's per-second latency and error rate to the watchdog's
 * rolling baselines: a slow or failing venue is noticed before any breaker
 * opens. Returns the function to call once a second.
 */
export function venueAnomalies(venue: VenueClient, watchdog: Watchdog): (at: number) => void {
  const detector = new AnomalyDetector();
  let requests = 0;
  let errors = 0;
  let latencyTotalMs = 0;
  let anomalous = false;
  venue.on('request', (event: VenueRequestEvent) => {
    requests += 1;
    latencyTotalMs += event.latencyMs;
    if (!event.ok && event.failure && ERROR_KINDS.has(event.failure.kind)) errors += 1;
  });
  return (at) => {
    if (requests === 0) return;
    const latency = detector.observe('exchange', 'latencyMs', latencyTotalMs / requests, at);
    const errorRate = detector.observe('exchange', 'errorRate', errors / requests, at);
    requests = 0;
    errors = 0;
    latencyTotalMs = 0;
    const anomaly = latency ?? errorRate;
    if (anomaly && !anomalous) watchdog.onAnomaly('exchange', anomaly.metric);
    if (!anomaly && anomalous) watchdog.onAnomalyCleared('exchange');
    anomalous = anomaly !== undefined;
  };
}

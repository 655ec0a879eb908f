import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import { Counter, Histogram, type Registry } from 'prom-client';
import {
  AlertDispatcher,
  createNotifier,
  openChaosLog,
  Watchdog,
  type NotifierConfig,
  type RecoveryControls,
} from '../watchdog/index.js';
import type { Journal } from '../journal/index.js';
import type { VenueClient } from './connector/index.js';
import type { EngineEvents } from './engine-options.js';
import { dependencyAnomalies } from './anomaly-feeds.js';
import { watchLiveness } from './liveness-watch.js';

/** Long enough for every call the held loop delayed to have finished. */
const IGNORE_AFTER_BLOCK_MS = 2_000;

export interface WatchdogSettings {
  /** Directory of the CHAOS_EVENT log, `<logDir>/<runId>.log`. Default `logs` under the working directory. */
  logDir?: string;
  /** Names the log file. Default `engine-<ISO time>`. */
  runId?: string;
  /** Webhooks alerts go to. Default none. */
  notifiers?: NotifierConfig[];
}

/** What the watchdog listens to. */
export interface WatchedSources {
  events: EventEmitter<EngineEvents>;
  venue: VenueClient;
  journal: Journal;
  heartbeatIntervalMs: number;
}

export interface WiredWatchdog {
  watchdog: Watchdog;
  logPath: string;
  close(): Promise<void>;
}

/**
 * Starts the engine's watchdog: it listens to the engine's events, writes
 * CHAOS_EVENT lines, sends alerts, and drives recovery through `controls`.
 */
export function wireWatchdog(
  settings: WatchdogSettings,
  sources: WatchedSources,
  controls: RecoveryControls,
  registry: Registry,
): WiredWatchdog {
  const { events, venue, journal } = sources;
  const runId = settings.runId ?? `engine-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const log = openChaosLog({ dir: settings.logDir ?? join(process.cwd(), 'logs'), runId });
  const notifiers = (settings.notifiers ?? []).map((config) => createNotifier(config));
  const dispatcher = notifiers.length > 0 ? new AlertDispatcher(notifiers) : undefined;
  const watchdog = new Watchdog({ controls, log, dispatcher });
  dispatcher?.on('notifierDown', ({ notifier, error }) =>
    watchdog.onNotifier(notifier, 'down', error.message),
  );
  dispatcher?.on('notifierRecovered', ({ notifier }) => watchdog.onNotifier(notifier, 'recovered'));
  const anomalies = dependencyAnomalies(venue, journal, watchdog);
  const timer = setInterval(() => anomalies.everySecond(Date.now()), 1_000).unref();
  const stopLiveness = watchLiveness(events, venue, watchdog, {
    heartbeatIntervalMs: sources.heartbeatIntervalMs,
    // Calls in flight while the loop was held look slow; let them finish unjudged.
    onBlocked: (now) => anomalies.ignoreUntil(now + IGNORE_AFTER_BLOCK_MS),
  });
  events.on('breaker', ({ dependency, state, lastFailure }) =>
    watchdog.onBreaker(dependency, state, lastFailure),
  );
  events.on('rateLimited', ({ httpStatus, until }) =>
    watchdog.onRateLimited(httpStatus === 418 ? 418 : 429, until),
  );
  events.on('spool', ({ state }) => watchdog.onSpool(state));
  countInto(registry, watchdog);
  return {
    watchdog,
    logPath: log.path,
    close: async () => {
      clearInterval(timer);
      stopLiveness();
      watchdog.close();
      await dispatcher?.close();
      await log.close();
    },
  };
}

function countInto(registry: Registry, watchdog: Watchdog): void {
  const detections = new Counter({
    name: 'n1v1_watchdog_detections_total',
    help: 'Failures the watchdog detected, by component and diagnosed type.',
    labelNames: ['component', 'failure_type'],
    registers: [registry],
  });
  const alerts = new Counter({
    name: 'n1v1_watchdog_alerts_total',
    help: 'Alerts the watchdog raised, by severity.',
    labelNames: ['severity'],
    registers: [registry],
  });
  const recoveries = new Histogram({
    name: 'n1v1_watchdog_recovery_seconds',
    help: 'From detection to the component being healthy again.',
    labelNames: ['component'],
    buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  watchdog.on('detected', (failure) =>
    detections.inc({ component: failure.componentId, failure_type: failure.failureType }),
  );
  watchdog.on('event', (event) => {
    if (event.event_type === 'alert_raised')
      alerts.inc({ severity: String(event.metadata['severity']) });
  });
  watchdog.on('recovered', (failure) =>
    recoveries.observe({ component: failure.componentId }, (failure.recoveryMs ?? 0) / 1000),
  );
}

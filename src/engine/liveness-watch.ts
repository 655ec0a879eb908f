import type { EventEmitter } from 'node:events';
import { HeartbeatMonitor, transportCodeOf, type Watchdog } from '../watchdog/index.js';
import type { VenueClient } from './connector/index.js';
import type { EngineEvents } from './engine-options.js';

/** An exchange answer this late means none is coming: loopback and real venues answer in well under this. */
const STALLED_AFTER_MS = 1_000;
/** How often stalls and heartbeats are checked: a quarter of the 1 s detection target. */
const CHECK_EVERY_MS = 250;

/**
 * Watches for things that stop rather than fail: exchange requests that
 * never come back, components whose heartbeats stop, and the engine's own
 * event loop not running. Returns the function that stops watching.
 */
export function watchLiveness(
  events: EventEmitter<EngineEvents>,
  venue: VenueClient,
  watchdog: Watchdog,
  options: { heartbeatIntervalMs: number; onBlocked?: (now: number) => void },
): () => void {
  const stalls = stallCheck(venue, watchdog);
  const heartbeats = heartbeatCheck(events, watchdog, options);
  let stallsIgnoredUntil = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    // Requests look stalled after the loop itself was held: give their answers a moment.
    if (heartbeats(now) === 'blocked') stallsIgnoredUntil = now + STALLED_AFTER_MS;
    if (now >= stallsIgnoredUntil) stalls(now);
  }, CHECK_EVERY_MS).unref();
  return () => clearInterval(timer);
}

/**
 * A black hole shows as requests that never come back, long before they time
 * out; a venue that is down, as connections refused. Either is over only when
 * an answer arrives again: an empty queue after timeouts proves nothing.
 * One slow request is not a black hole while others are being answered: under
 * load a request can wait its turn for a second, so a stall also needs a
 * second with no answer at all.
 */
function stallCheck(venue: VenueClient, watchdog: Watchdog): (now: number) => void {
  let lastAnswerAt = 0;
  let lastTroubleAt = 0;
  venue.on('request', (event) => {
    if (event.ok || event.failure?.httpStatus !== undefined) {
      lastAnswerAt = event.at + event.latencyMs;
    } else if (event.failure && transportCodeOf(event.failure.errorClass) === 'ECONNREFUSED') {
      // Refused is as plain as it gets: said at once, not at the next check.
      lastTroubleAt = event.at + event.latencyMs;
      watchdog.onRefused();
    }
  });
  return (now) => {
    const oldestMs = venue.oldestInFlightMs();
    if (oldestMs >= STALLED_AFTER_MS && now - lastAnswerAt >= STALLED_AFTER_MS) {
      lastTroubleAt = now;
      watchdog.onStall(oldestMs);
    } else if (lastAnswerAt > lastTroubleAt) {
      watchdog.onStall(0);
    }
  };
}

/**
 * Heartbeats overdue by three intervals are a component whose own loop
 * stopped. But when this check itself ran that late, the whole event loop
 * was held (a long synchronous task, a suspended process): that is one
 * failure of the engine, not one per component, and the silences it caused
 * are forgiven.
 */
function heartbeatCheck(
  events: EventEmitter<EngineEvents>,
  watchdog: Watchdog,
  options: { heartbeatIntervalMs: number; onBlocked?: (now: number) => void },
): (now: number) => 'blocked' | 'ran' {
  const intervalMs = options.heartbeatIntervalMs;
  const monitor = new HeartbeatMonitor({ intervalMs });
  const blockedAfterMs = intervalMs * 3;
  let lastCheckAt: number | undefined;
  events.on('heartbeat', ({ component, health, at }) => {
    monitor.beat(component, health.status, numericFields(health), at);
    watchdog.onHeartbeat(component, health.status, at);
  });
  return (now) => {
    const gapMs = lastCheckAt === undefined ? 0 : now - lastCheckAt;
    const blocked = lastCheckAt !== undefined && gapMs >= blockedAfterMs;
    if (blocked) {
      monitor.forgive(lastCheckAt ?? now, now);
      options.onBlocked?.(now);
      watchdog.onEventLoopBlocked(gapMs - CHECK_EVERY_MS);
    }
    lastCheckAt = now;
    for (const detection of monitor.check(now)) {
      if (detection.kind === 'overdue') watchdog.onHeartbeatOverdue(detection.componentId);
      else watchdog.onHeartbeatResumed(detection.componentId);
    }
    return blocked ? 'blocked' : 'ran';
  };
}

function numericFields(health: object): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [name, value] of Object.entries(health)) {
    if (typeof value === 'number') metrics[name] = value;
  }
  return metrics;
}

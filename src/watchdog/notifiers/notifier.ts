import type { Alert } from '../model.js';

/** The endpoints an alert can go to. */
export type NotifierKind = 'discord' | 'slack' | 'generic';

/**
 * One alert destination. `send` delivers one alert once (no retries: the
 * dispatcher owns retries, timeouts and limits) and throws a NotifierError
 * when delivery fails.
 */
export interface Notifier {
  /** Unique within a dispatcher; events and stats are keyed by it. */
  readonly name: string;
  readonly kind: NotifierKind;
  /** Resolves once the endpoint accepted the alert; rejects with a NotifierError otherwise. */
  send(alert: Alert, signal: AbortSignal): Promise<void>;
  /** Releases sockets; the dispatcher calls it from its own close(). Optional for in-memory notifiers. */
  close?(): Promise<void>;
}

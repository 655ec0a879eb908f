import type { Alert } from '../model.js';
import { isoTime } from './facts.js';
import { JsonPoster, parseWebhookUrl } from './http.js';
import type { Notifier } from './notifier.js';

/** Options of a generic JSON webhook notifier. */
export interface GenericNotifierOptions {
  /** Where to POST; http or https. */
  url: string;
  /** Sent with every request (e.g. authorization); content-type is always application/json. */
  headers?: Record<string, string>;
  /** Default "generic". */
  name?: string;
}

/** The JSON body of a generic webhook call: the alert as is, plus its time as ISO-8601. */
export interface GenericPayload {
  alert: Alert & { timestamp: string };
}

/** A notifier that POSTs `{ alert }` as JSON, for receivers that want the raw facts. */
export function genericNotifier(options: GenericNotifierOptions): Notifier {
  const poster = new JsonPoster({ url: parseWebhookUrl(options.url), headers: options.headers });
  return {
    name: options.name ?? 'generic',
    kind: 'generic',
    send: (alert, signal) => poster.post(genericPayload(alert), signal),
    close: () => poster.close(),
  };
}

/** `{ alert }` with `timestamp` added beside `at`. */
export function genericPayload(alert: Alert): GenericPayload {
  return { alert: { ...alert, timestamp: isoTime(alert.at) } };
}

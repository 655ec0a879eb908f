import type { WireRequest } from '../evidence/model.js';

/** Told of one request an http-mode proxy has finished with. */
export type WireListener = (record: WireRequest) => void;

/**
 * Subscribers to WireRequest records. A proxy's tap also feeds its server's
 * (the parent), so one subscription on the server sees every proxy,
 * including proxies created after it subscribed. The data path checks
 * `listening` before building a record: with nobody subscribed, a request
 * costs no record at all.
 */
export class WireTap {
  readonly #listeners = new Set<WireListener>();

  constructor(private readonly parent?: WireTap) {}

  /** True when a record would reach anyone, here or at the parent. */
  get listening(): boolean {
    return this.#listeners.size > 0 || (this.parent?.listening ?? false);
  }

  /** Adds a listener; returns the function that removes it (idempotent). */
  subscribe(listener: WireListener): () => void {
    // A wrapper per subscription, so subscribing one function twice gives two independent subscriptions.
    const entry: WireListener = (record) => listener(record);
    this.#listeners.add(entry);
    return () => void this.#listeners.delete(entry);
  }

  /** Hands the record to every listener here, then to the parent's. */
  emit(record: WireRequest): void {
    for (const listener of this.#listeners) {
      try {
        listener(record);
      } catch {
        // An observer's bug must not break the request path it observes.
      }
    }
    this.parent?.emit(record);
  }
}

import { Listeners } from '../common/index.js';
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
  readonly #listeners = new Listeners<WireRequest>();
  /** Requests named so far, by proxy name: at the root tap, so a proxy replaced under the same name never reuses an id. */
  readonly #counts = new Map<string, number>();

  constructor(private readonly parent?: WireTap) {}

  /** The next request id of a proxy: `<name>-<n>`, unique for the name as long as the root tap lives. */
  nextRequestId(proxyName: string): string {
    if (this.parent) return this.parent.nextRequestId(proxyName);
    const count = (this.#counts.get(proxyName) ?? 0) + 1;
    this.#counts.set(proxyName, count);
    return `${proxyName}-${count}`;
  }

  /** True when a record would reach anyone, here or at the parent. */
  get listening(): boolean {
    return this.#listeners.any || (this.parent?.listening ?? false);
  }

  /** Adds a listener; returns the function that removes it (idempotent). */
  subscribe(listener: WireListener): () => void {
    return this.#listeners.subscribe(listener);
  }

  /** Hands the record to every listener here, then to the parent's; a throwing listener is ignored. */
  emit(record: WireRequest): void {
    this.#listeners.emit(record);
    this.parent?.emit(record);
  }
}

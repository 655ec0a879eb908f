/**
 * A set of listeners to one kind of record, as the evidence taps keep them:
 * subscribing one function twice gives two independent subscriptions, the
 * returned function removes one (idempotent), and a listener that throws
 * never breaks the code path it observes.
 */
export class Listeners<T> {
  readonly #listeners = new Set<(record: T) => void>();

  /** True when a record would reach anyone: callers build records only then. */
  get any(): boolean {
    return this.#listeners.size > 0;
  }

  /** Adds a listener; returns the function that removes it (idempotent). */
  subscribe(listener: (record: T) => void): () => void {
    const entry = (record: T) => listener(record);
    this.#listeners.add(entry);
    return () => void this.#listeners.delete(entry);
  }

  /** Hands the record to every listener; `onError` is told of what one throws, which is then swallowed. */
  emit(record: T, onError: (error: unknown) => void = () => {}): void {
    for (const listener of this.#listeners) {
      try {
        listener(record);
      } catch (error) {
        onError(error);
      }
    }
  }
}

/**
 * Collects what is added in one event-loop turn and hands it over in one
 * go at the end of the turn: one IPC message for a turn's intents or
 * receipts, where one per order would cost the channel more than the orders
 * cost the engine.
 */
export class TurnBatch<T> {
  private items: T[] = [];

  constructor(private readonly flush: (items: T[]) => void) {}

  add(item: T): void {
    if (this.items.length === 0)
      setImmediate(() => {
        const items = this.items;
        this.items = [];
        this.flush(items);
      });
    this.items.push(item);
  }
}

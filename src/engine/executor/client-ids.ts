/** Binance's rule for client order ids; other venues accept at least this. */
const CLIENT_ORDER_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/**
 * Hands out client order ids `<strategyId>-<seq>`. Sequences continue from
 * the journal after a restart: a venue only refuses a reused id while the
 * first order is open, so a reused id could place a second order.
 */
export class ClientOrderIds {
  private readonly last = new Map<string, number>();

  /** Continues after the highest sequence already used per strategy. */
  restore(lastSequences: ReadonlyMap<string, number>): void {
    for (const [strategyId, seq] of lastSequences) {
      this.last.set(strategyId, Math.max(seq, this.last.get(strategyId) ?? 0));
    }
  }

  next(strategyId: string): string {
    const seq = (this.last.get(strategyId) ?? 0) + 1;
    this.last.set(strategyId, seq);
    const id = `${strategyId}-${seq}`;
    if (!CLIENT_ORDER_ID.test(id)) {
      throw new RangeError(`client order id ${JSON.stringify(id)} does not fit ${CLIENT_ORDER_ID}`);
    }
    return id;
  }
}
